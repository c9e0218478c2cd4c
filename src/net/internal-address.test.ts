import { describe, expect, it } from 'vitest';
import { embeddedV4, isInternalAddress, unmapV4 } from './internal-address.js';

describe('isInternalAddress', () => {
  it.each([
    // IPv4 basics
    ['127.0.0.1'],
    ['10.1.2.3'],
    ['169.254.169.254'],
    ['0.0.0.0'],
    // loopback and unspecified
    ['::1'],
    ['::'],
    ['0:0:0:0:0:0:0:1'],
    // IPv4-mapped, every textual form
    ['::ffff:127.0.0.1'],
    ['::FFFF:127.0.0.1'],
    ['::ffff:7f00:1'],
    ['0:0:0:0:0:ffff:7f00:0001'],
    ['0000:0000:0000:0000:0000:ffff:a9fe:a9fe'],
    ['::ffff:192.168.0.1'],
    // IPv4-translated (SIIT) and IPv4-compatible
    ['::ffff:0:10.0.0.1'],
    ['::127.0.0.1'],
    ['::7f00:1'],
    ['::a9fe:a9fe'],
    // NAT64 well-known prefix carrying a private v4; local-use NAT64 prefix
    ['64:ff9b::10.0.0.1'],
    ['64:ff9b::a9fe:a9fe'],
    ['64:ff9b:1::808:808'],
    // 6to4 embedding a private v4
    ['2002:7f00:1::1'],
    ['2002:c0a8:101::'],
    ['2002:a9fe:a9fe:0:0:0:0:1'],
    // Teredo
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['2001::1'],
    // unique-local, link-local (with a zone), site-local, multicast
    ['fc00::1'],
    ['fd12:3456:789a::1'],
    ['fe80::1'],
    ['fe80::1%eth0'],
    ['febf:ffff::1'],
    ['fec0::1'],
    ['ff02::1'],
    ['ff05::fb'],
    // not an address at all
    ['not-an-ip'],
  ])('%s is internal', (ip) => {
    expect(isInternalAddress(ip)).toBe(true);
  });

  it.each([
    ['93.184.216.34'],
    ['2606:4700::1'],
    ['2a00:1450:4001:81c::200e'],
    ['::ffff:93.184.216.34'],
    ['::ffff:5db8:d822'],
    ['64:ff9b::8.8.8.8'],
    ['2002:808:808::1'],
    ['2001:db9::1'],
  ])('%s is public', (ip) => {
    expect(isInternalAddress(ip)).toBe(false);
  });
});

describe('embeddedV4 / unmapV4', () => {
  it('reads the IPv4 inside the IPv6 forms that carry one', () => {
    expect(embeddedV4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedV4('64:ff9b::c0a8:1')).toBe('192.168.0.1');
    expect(embeddedV4('2002:0a00:0001::')).toBe('10.0.0.1');
    expect(embeddedV4('2606:4700::1')).toBeUndefined();
    expect(embeddedV4('10.0.0.1')).toBeUndefined();
  });
  it('unmaps only IPv4-mapped addresses', () => {
    expect(unmapV4('::ffff:a00:1')).toBe('10.0.0.1');
    expect(unmapV4('::a00:1')).toBe('::a00:1');
    expect(unmapV4('10.0.0.1')).toBe('10.0.0.1');
  });
});

import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * A small builder for update and condition expressions. Every attribute goes through a `#name` placeholder (no
 * reserved-word surprises) and only values actually used are sent (DynamoDB rejects unused ones).
 */
export class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private counter = 0;

  /** `#attr`, registering the name. */
  name(attr: string): string {
    this.names[`#${attr}`] = attr;
    return `#${attr}`;
  }

  /** A fresh `:vN` placeholder for `value`. */
  value(value: AttributeValue): string {
    const ph = `:v${this.counter++}`;
    this.values[ph] = value;
    return ph;
  }

  /** `SET a = :x, ... REMOVE b, ...` for the given attribute values and removals. */
  update(
    set: Record<string, AttributeValue>,
    remove: readonly string[],
    rawSets: readonly string[] = [],
  ): string {
    const sets = [...Object.entries(set).map(([a, v]) => `${this.name(a)} = ${this.value(v)}`), ...rawSets];
    const removes = remove.filter((a) => !(a in set)).map((a) => this.name(a));
    return [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
  }

  /** The request fields for an expression-bearing command (omitting empty maps, which DynamoDB rejects). */
  fields(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

# Types each argument into one interactive zsh (reading the home's ~/.zshrc) on a pseudo-terminal, followed by a
# Tab, and prints what the completion system added for each, each followed by an __END_n__ line (see zsh-capture.zsh).
zmodload zsh/zpty || exit 90
export HUSH_CAPTURE_OUT=$HOME/.capture.out
: > $HUSH_CAPTURE_OUT
zpty z zsh -d -i
zpty -w z "source ${0:A:h}/zsh-capture.zsh"
zpty -r z x '*__READY__*' || exit 91
n=0
for line in "$@"; do
  (( n++ ))
  zpty -w -n z "$line"$'\t'
  zpty -r z x "*__END_${n}__*" || exit 92
  zpty -w -n z $'\C-u'
done
zpty -d z
cat $HUSH_CAPTURE_OUT

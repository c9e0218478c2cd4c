# Sourced inside the interactive zsh under test, after its ~/.zshrc: records what the completion system adds.
# `compadd` is wrapped to append the matches it is given to $HUSH_CAPTURE_OUT before the builtin adds them; Tab runs
# the real complete-word widget, then appends and displays a numbered end marker the driver waits for.
bindkey -e
compadd() {
  # Calls that only query (-O/-A/-D fill arrays instead of adding matches) pass through.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __m
  builtin compadd -O __m "$@"
  print -rl -- $__m >> $HUSH_CAPTURE_OUT
  builtin compadd "$@"
}
typeset -i __tabs=0
__tab() {
  zle complete-word
  (( __tabs++ ))
  print -r -- "__END_${__tabs}__" >> $HUSH_CAPTURE_OUT
  zle -M "__END_${__tabs}__"
}
zle -N __tab
bindkey '^I' __tab
print __READY__

# What bash offers for each line $2..., as readline computes it on a Tab, after sourcing the setup file $1 (like a
# ~/.bashrc): the compspec `complete` registered for hush; with none yet, the default (-D) one, which bash-completion
# uses to load ours from its completions directory before asking for a retry (exit 124). When that offers nothing and
# the compspec has `-o default`, readline's default completion follows: file names. One candidate per output line,
# each line's candidates followed by __END__.
source "$1"
for line in "${@:2}"; do
  read -ra COMP_WORDS <<< "$line"
  [[ $line == *' ' ]] && COMP_WORDS+=('')
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
  for _ in 1 2; do
    spec=$(complete -p hush 2>/dev/null || complete -p -D 2>/dev/null) || { echo 'no completion for hush' >&2; exit 3; }
    [[ $spec =~ -F\ ([^ ]+) ]] || { echo "not a function compspec: $spec" >&2; exit 3; }
    COMPREPLY=()
    "${BASH_REMATCH[1]}" hush "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    [[ $? == 124 ]] || break
  done
  if ((${#COMPREPLY[@]} == 0)) && [[ $spec == *' -o default '* ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "${COMP_WORDS[COMP_CWORD]}")
  fi
  printf '%s\n' "${COMPREPLY[@]}" __END__
done

#!/usr/bin/env zsh
# Prints the candidates zsh's completion offers for a command line, one a
# line: zsh_complete.zsh COMPLETIONS_DIR 'retort upgrade '
# Runs an interactive zsh in a pseudo-terminal (zpty), loads _retort from
# COMPLETIONS_DIR, types the line and TAB, and records every compadd.
# (The technique of Valodim's zsh-capture-completion.)
zmodload zsh/zpty || exit 2
local dir=$1 cmdline=$2 line
local init=$(mktemp)
trap 'rm -f $init; zpty -d z 2>/dev/null' EXIT
cat > $init <<INIT
PROMPT=
fpath=($dir \$fpath)
autoload -U compinit
compinit -u -D
bindkey '^I' complete-word
null-line() { echo -E - \$'\\\\0' }
compprefuncs=(null-line)
comppostfuncs=(null-line exit)
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"; return
  fi
  typeset -a __hits
  builtin compadd -A __hits "\$@"
  local h
  for h in \$__hits; do echo -E - "CAND:\$h"; done
}
echo ok
INIT
zpty z zsh -f -i
zpty -w z "source $init"
repeat 10; do zpty -r z line; [[ $line == ok* ]] && break; done
zpty -w z "$cmdline"$'\t'
# The completion ends with `exit` (comppostfuncs): read until the pty closes.
while zpty -r z line; do
  [[ $line == CAND:?* ]] && print -r -- ${${line#CAND:}%%[$'\r\n']*}
done | sort -u

# bash completion for retort                                -*- shell-script -*-
# Installed as share/bash-completion/completions/retort (docs/install.md).
# Completes commands, global and per-command options, and revision
# arguments: head/heads/base/current and the ids and branch labels that
# `retort history` prints for the project in use (same -c/-n options).

_retort_commands="init list_templates revision merge upgrade downgrade stamp
  ensure_version current history heads branches show edit check verify lint
  repair status dump resolve import adopt"

# The options of each command (and of none: the global ones).
_retort_options() {
  case $1 in
    '') echo "-c --config -n --name -x --url --wait -q --quiet --help --version" ;;
    init) echo "-t --template --help" ;;
    revision) echo "-m --message --head --splice --branch-label --depends-on --rev-id
                    --version-path --autogenerate --concurrently --help" ;;
    merge) echo "-m --message --branch-label --rev-id --help" ;;
    upgrade | downgrade) echo "--sql --tag --help" ;;
    stamp) echo "--sql --purge --tag --help" ;;
    ensure_version) echo "--sql --help" ;;
    current | branches) echo "-v --verbose --help" ;;
    history) echo "-r --rev-range -v --verbose -i --indicate-current --graph --dot --help" ;;
    heads) echo "-v --verbose --resolve-dependencies --check --help" ;;
    status) echo "--json --help" ;;
    check) echo "--timings --help" ;;
    lint) echo "--json --dialect --help" ;;
    dump) echo "--output --help" ;;
    resolve) echo "--applied --rolled-back --help" ;;
    import) echo "--dialect --into --allow-partial --tool-table --help" ;;
    adopt) echo "--tool-table --help" ;;
    *) echo "--help" ;;
  esac
}

# Revision ids of the project, and label@head / label@base for its branch
# labels, read (quietly, without touching the database) from `retort
# history`, whose lines are "PARENTS -> ID (LABELS) (head), message". $@: the
# global options typed so far, so -c/-n select the same project.
_retort_revisions() {
  echo "head heads base current"
  retort "$@" history 2>/dev/null | awk '
    match($0, /-> [A-Za-z0-9_]+/) {
      print substr($0, RSTART + 3, RLENGTH - 3)
      rest = substr($0, RSTART + RLENGTH)
      if (match(rest, /^ \([^)]*\)/)) {
        n = split(substr(rest, 3, RLENGTH - 3), labels, ", ")
        for (i = 1; i <= n; i++)
          if (labels[i] !~ /^(head|mergepoint|branchpoint)$/)
            print labels[i] "@head\n" labels[i] "@base"
      }
    }' | sort -u
}

_retort() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -n = || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  # Find the command, and the global options before it.
  local command='' i word
  local -a global=()
  for ((i = 1; i < cword; i++)); do
    word=${words[i]}
    case $word in
      -c | --config | -n | --name | -x | --url | --wait)
        global+=("$word" "${words[i + 1]}")
        ((i++))
        ;;
      -*) ;;
      *)
        command=$word
        break
        ;;
    esac
  done

  # The value of an option.
  case $prev in
    -c | --config)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    -n | --name)
      # The sections of the config file in use.
      local file=./retort.ini j
      for ((j = 0; j < ${#global[@]}; j += 2)); do
        [[ ${global[j]} == -c || ${global[j]} == --config ]] && file=${global[j + 1]}
      done
      [[ -z ${global[*]} && -n ${RETORT_CONFIG:-} ]] && file=$RETORT_CONFIG
      COMPREPLY=($(compgen -W "$(sed -n 's/^\[\(.*\)\]\s*$/\1/p' "$file" 2>/dev/null)" \
        -- "$cur"))
      return
      ;;
    -x | --url | --wait | -m | --message | --rev-id | --branch-label | --tag | --tool-table)
      return
      ;;
    -t | --template)
      COMPREPLY=($(compgen -W "generic postgresql" -- "$cur"))
      return
      ;;
    --dialect)
      COMPREPLY=($(compgen -W "sqlite postgresql" -- "$cur"))
      return
      ;;
    --output)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --version-path | --into)
      COMPREPLY=($(compgen -d -- "$cur"))
      return
      ;;
    --head | --depends-on | -r | --rev-range)
      COMPREPLY=($(compgen -W "$(_retort_revisions "${global[@]}")" -- "$cur"))
      return
      ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_retort_options "$command")" -- "$cur"))
    return
  fi
  case $command in
    '') COMPREPLY=($(compgen -W "$_retort_commands" -- "$cur")) ;;
    init) COMPREPLY=($(compgen -d -- "$cur")) ;;
    upgrade | downgrade | stamp | show | edit | merge | lint | resolve)
      COMPREPLY=($(compgen -W "$(_retort_revisions "${global[@]}")" -- "$cur"))
      ;;
    import | adopt)
      # The tool first; then import's alembic.ini or migrations folder.
      local k n=0
      for ((k = i + 1; k < cword; k++)); do [[ ${words[k]} == -* ]] || ((n++)); done
      if ((n == 0)); then
        local tools="dbmate golang-migrate flyway goose"
        [[ $command == import ]] && tools="alembic $tools"
        COMPREPLY=($(compgen -W "$tools" -- "$cur"))
      elif [[ $command == import ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
      fi
      ;;
  esac
}
complete -F _retort retort

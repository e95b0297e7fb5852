# bash completion for vssctl (installed as share/bash-completion/completions/vssctl).
_vssctl() {
  local cur prev command
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  command=${COMP_WORDS[1]}
  local commands="run restore writers providers explain wine-install wine-uninstall"
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  case $prev in
    --provider) COMPREPLY=($(compgen -W "simulated live copy btrfs reflink fsfreeze" -- "$cur")); return ;;
    --volume|--prefix) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --bcd|--save-bcd|--dll64|--dll32|--read) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  local options=""
  case $command in
    run) options="--json --retry --save-bcd --provider --volume --read --help" ;;
    restore) options="--json --bcd --help" ;;
    writers|providers) options="--json --help" ;;
    explain) options="--json --help" ;;
    wine-install) options="--prefix --dll64 --dll32 --help" ;;
    wine-uninstall) options="--prefix --help" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  elif [[ $command == run || $command == restore || $command == writers ]]; then
    COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _vssctl vssctl

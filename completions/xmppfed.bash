# bash completion for xmppfed                             -*- shell-script -*-
#
# Installed as bash-completion/completions/xmppfed and printed by
# `xmppfed completion bash` (try: source <(xmppfed completion bash)).
# Completes verbs, options (global options before or after the verb), option
# values, file names, and partner identities, which come live from the agent
# through `xmppfed __complete-identities PREFIX`: that call gives up after a
# fraction of a second and prints nothing when the agent is down.
# Needs nothing but bash itself; uses bash-completion's _filedir when loaded.

# Options every verb accepts, before or after the verb.
_xmppfed_globals='--socket -o --output --what-if --force --confirm --quiet --help'

# The verbs people type (the hidden __ verbs are left out).
_xmppfed_verbs='new-partner set-partner get-partner remove-partner
test-partner import-partners get-gateway-config set-gateway-config get-session
remove-session get-partner-status get-audit-log get-agent get-node version help completion'

# _xmppfed_verb_options VERB: the options of VERB, global ones not included.
_xmppfed_verb_options() {
  local fields='--description --additional-domains --partner-type
    --tls-negotiation --sasl-negotiation --support-dialback-negotiation
    --proxy-fqdn --enable-keep-alive --connection-limit'
  case $1 in
    new-partner) echo "--identity $fields" ;;
    set-partner)
      echo "--identity $fields --add-additional-domains" \
        "--remove-additional-domains --pass-thru --from-input --atomic"
      ;;
    get-partner) echo '--identity --filter' ;;
    remove-partner) echo '--identity --filter --atomic' ;;
    test-partner) echo '--identity --timeout' ;;
    import-partners) echo '--format --update --atomic --delimiter' ;;
    get-session | remove-session | get-partner-status) echo '--partner' ;;
    get-audit-log)
      echo '--since --until --identity --caller --verb --result'
      ;;
    set-gateway-config)
      echo '--connection-limit --partner-connection-limit' \
        '--keep-alive-interval --stream-establishment-timeout' \
        '--stream-inactivity-timeout --max-stanza-size' \
        '--stream-output-high-watermark --stream-output-low-watermark' \
        '--component-connection-limit' \
        '--audit-retention-days' \
        '--unauthenticated-stream-limit --unauthenticated-streams-per-address' \
        '--unauthenticated-stream-timeout' \
        '--enable-logging-all-message-bodies --dialback-passphrase' \
        '--enable-bidirectional-streams' \
        '--dialback-passphrase-file --pass-thru'
      ;;
  esac
}

# _xmppfed_takes_value OPTION: succeeds when OPTION reads the next word as
# its value.
_xmppfed_takes_value() {
  case $1 in
    --socket | -o | --output | --identity | --description | \
      --additional-domains | --add-additional-domains | \
      --remove-additional-domains | --partner-type | --tls-negotiation | \
      --sasl-negotiation | --support-dialback-negotiation | --proxy-fqdn | \
      --enable-keep-alive | --connection-limit | --filter | --format | \
      --delimiter | \
      --partner-connection-limit | --keep-alive-interval | \
      --stream-establishment-timeout | --stream-inactivity-timeout | \
      --max-stanza-size | --stream-output-high-watermark | \
      --stream-output-low-watermark | --component-connection-limit | \
      --unauthenticated-stream-limit | --unauthenticated-streams-per-address | \
      --unauthenticated-stream-timeout | \
      --enable-logging-all-message-bodies | --enable-bidirectional-streams | \
      --dialback-passphrase | --dialback-passphrase-file | --partner | \
      --timeout | --audit-retention-days | --since | --until | --caller | \
      --verb | --result)
      return 0
      ;;
  esac
  return 1
}

# _xmppfed_words CUR WORD...: COMPREPLY = each WORD that starts with CUR,
# compared without regard to case (the CLI accepts any case).
_xmppfed_words() {
  local cur=${1,,} word
  shift
  COMPREPLY=()
  for word; do
    [[ ${word,,} == "$cur"* ]] && COMPREPLY+=("$word")
  done
}

# _xmppfed_files CUR: file names starting with CUR.
_xmppfed_files() {
  local cur=$1
  if declare -F _filedir >/dev/null; then
    _filedir
    return
  fi
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

# _xmppfed_identities CUR: identities of the agent's partners starting with
# CUR. Runs the xmppfed being completed (with any --socket typed); every
# failure just leaves COMPREPLY empty.
_xmppfed_identities() {
  local cmd=${COMP_WORDS[0]}
  [[ $cmd == '~/'* ]] && cmd=$HOME/${cmd#'~/'}
  local -a socket=()
  [[ -n $_xmppfed_socket ]] && socket=(--socket "$_xmppfed_socket")
  mapfile -t COMPREPLY < <("$cmd" "${socket[@]}" __complete-identities \
    "$1" 2>/dev/null </dev/null)
}

# _xmppfed_value VERB OPTION CUR: the values of OPTION starting with CUR.
_xmppfed_value() {
  case $2 in
    --socket | --dialback-passphrase-file) _xmppfed_files "$3" ;;
    -o | --output) _xmppfed_words "$3" table json ndjson csv wide ;;
    --format) _xmppfed_words "$3" csv ndjson json ;;
    --delimiter) _xmppfed_words "$3" , ';' tab ;;
    --partner-type)
      _xmppfed_words "$3" Federated PublicVerified PublicUnverified
      ;;
    --tls-negotiation | --sasl-negotiation)
      _xmppfed_words "$3" Required Optional NotSupported
      ;;
    --support-dialback-negotiation | --enable-keep-alive | \
      --enable-logging-all-message-bodies | --enable-bidirectional-streams)
      _xmppfed_words "$3" true false
      ;;
    --identity)
      # new-partner names a partner that does not exist yet.
      [[ $1 != new-partner ]] && _xmppfed_identities "$3"
      ;;
    --partner) _xmppfed_identities "$3" ;;
    --result) _xmppfed_words "$3" ok refused denied ;;
    --verb)
      _xmppfed_words "$3" $(echo "$_xmppfed_verbs" | tr ' ' '\n' |
        grep -v -x -e version -e completion)
      ;;
  esac
}

# _xmppfed_positional VERB CUR: a verb's positional arguments.
_xmppfed_positional() {
  case $1 in
    set-partner | get-partner | remove-partner | test-partner)
      _xmppfed_identities "$2"
      ;;
    import-partners) _xmppfed_files "$2" ;;
    # remove-session's IDs: numbers from get-session, nothing to offer.
    completion) _xmppfed_words "$2" bash zsh fish ;;
    help) _xmppfed_words "$2" $_xmppfed_verbs ;;
  esac
}

_xmppfed() {
  COMPREPLY=()
  local cword=$COMP_CWORD
  local cur=${COMP_WORDS[cword]} prev=
  ((cword > 0)) && prev=${COMP_WORDS[cword - 1]}

  # What came before the cursor: the verb, --socket's value, a "--".
  # Readline splits "--opt=value" into "--opt" "=" "value".
  local verb= _xmppfed_socket= ddash= word next i=1
  while ((i < cword)); do
    word=${COMP_WORDS[i]}
    next=${COMP_WORDS[i + 1]}
    if [[ -n $ddash ]]; then
      [[ -z $verb ]] && verb=$word
    elif [[ $word == -- ]]; then
      ddash=1
    elif [[ $word == -* ]] && _xmppfed_takes_value "$word"; then
      if [[ $next == = ]]; then
        ((i += 1))
        next=${COMP_WORDS[i + 1]}
      fi
      [[ $word == --socket ]] && _xmppfed_socket=$next
      ((i += 1))
    elif [[ $word == --socket=* ]]; then
      _xmppfed_socket=${word#--socket=}
    elif [[ $word != -* && -z $verb ]]; then
      verb=$word
    fi
    ((i += 1))
  done
  # The socket as the shell would pass it: quotes off, ~ expanded.
  _xmppfed_socket=${_xmppfed_socket#[\"\']}
  _xmppfed_socket=${_xmppfed_socket%[\"\']}
  [[ $_xmppfed_socket == '~/'* ]] &&
    _xmppfed_socket=$HOME/${_xmppfed_socket#'~/'}

  # An option's value: "--opt VALUE", "--opt=VALUE" split by readline, or
  # "--opt=VALUE" in one word when COMP_WORDBREAKS lacks "=".
  if [[ -z $ddash ]]; then
    local option= before=
    if [[ $cur == = && $prev == -* ]]; then
      option=$prev cur=
    elif [[ $prev == = ]] && ((cword >= 2)) &&
      [[ ${COMP_WORDS[cword - 2]} == -* ]]; then
      option=${COMP_WORDS[cword - 2]}
    elif [[ $cur == --*=* ]]; then
      option=${cur%%=*} before=${cur%%=*}= cur=${cur#*=}
    elif [[ $prev == -* ]]; then
      option=$prev
    fi
    if [[ -n $option ]] && _xmppfed_takes_value "$option"; then
      _xmppfed_value "$verb" "$option" "$cur"
      [[ -n $before ]] && COMPREPLY=("${COMPREPLY[@]/#/$before}")
      return 0
    fi
  fi

  if [[ -z $ddash && $cur == -* ]]; then
    if [[ -z $verb ]]; then
      _xmppfed_words "$cur" $_xmppfed_globals --version
    else
      _xmppfed_words "$cur" $(_xmppfed_verb_options "$verb") \
        $_xmppfed_globals
    fi
    return 0
  fi

  if [[ -z $verb ]]; then
    _xmppfed_words "$cur" $_xmppfed_verbs
    return 0
  fi
  # "host:port" is split at ":" by readline; no positional contains one.
  [[ $cur == : || $prev == : ]] && return 0
  _xmppfed_positional "$verb" "$cur"
  return 0
}

complete -F _xmppfed xmppfed

# fish completion for xmppfed. Installed as
# fish/vendor_completions.d/xmppfed.fish and printed by
# `xmppfed completion fish` (try: xmppfed completion fish | source).
# Completes verbs, options (global options before or after the verb), option
# values, file names, and partner identities, which come live from the agent
# through `xmppfed __complete-identities PREFIX`: that call gives up after a
# fraction of a second and prints nothing when the agent is down.

# Prints the verb typed so far; fails when there is none yet. Before the verb
# only global options can stand; of those --socket and -o take a value.
function __xmppfed_verb
    set -l tokens (commandline -opc)
    set -l skip 0
    for token in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case --socket -o --output
                set skip 1
            case '-*'
            case '*'
                echo $token
                return 0
        end
    end
    return 1
end

function __xmppfed_no_verb
    not __xmppfed_verb >/dev/null
end

# Succeeds when the verb typed is one of the arguments.
function __xmppfed_verb_is
    set -l verb (__xmppfed_verb)
    or return 1
    contains -- $verb $argv
end

# Partner identities starting with the token under the cursor, from the
# xmppfed being completed (with any --socket typed on the line). Any
# failure: no output, no noise.
function __xmppfed_identities
    set -l tokens (commandline -opc)
    set -l socket
    for i in (seq 2 (count $tokens))
        set -l value
        switch $tokens[$i]
            case --socket
                set value $tokens[(math $i + 1)]
            case '--socket=*'
                set value (string replace -- --socket= '' $tokens[$i])
            case '*'
                continue
        end
        set socket --socket (string replace -r -- '^~/' "$HOME/" $value)
    end
    set -l cmd (string replace -r -- '^~/' "$HOME/" $tokens[1])
    # "--identity=con" completes "con".
    set -l prefix (string replace -r -- '^--[^=]*=' '' (commandline -ct))
    $cmd $socket __complete-identities "$prefix" 2>/dev/null </dev/null
end

complete -c xmppfed -f

# Global options, accepted before and after the verb.
complete -c xmppfed -l socket -r -F -d "The agent's API socket"
complete -c xmppfed -s o -l output -x -a 'table json ndjson csv wide' -d 'How to print data on stdout'
complete -c xmppfed -l what-if -d 'Let the agent validate and report the change; write nothing'
complete -c xmppfed -l force -d 'Do not ask for confirmation'
complete -c xmppfed -l confirm -d 'Ask before any change'
complete -c xmppfed -l quiet -d 'No warnings or notes on stderr'
complete -c xmppfed -s h -l help -d 'Show help'
complete -c xmppfed -n __xmppfed_no_verb -l version -d 'Print the version of this CLI'

# The verbs.
complete -c xmppfed -n __xmppfed_no_verb -a new-partner -d 'Create a partner and print it'
complete -c xmppfed -n __xmppfed_no_verb -a set-partner -d 'Change only the given fields of a partner'
complete -c xmppfed -n __xmppfed_no_verb -a get-partner -d 'List partners: all, one, or those matching a glob'
complete -c xmppfed -n __xmppfed_no_verb -a remove-partner -d 'Delete partners'
complete -c xmppfed -n __xmppfed_no_verb -a test-partner -d 'Check federation with a partner live, step by step'
complete -c xmppfed -n __xmppfed_no_verb -a import-partners -d 'Create or change partners from CSV, NDJSON or JSON'
complete -c xmppfed -n __xmppfed_no_verb -a get-gateway-config -d 'Show the global gateway settings'
complete -c xmppfed -n __xmppfed_no_verb -a set-gateway-config -d 'Change only the given gateway settings'
complete -c xmppfed -n __xmppfed_no_verb -a get-session -d 'List the live S2S streams of the federation edge'
complete -c xmppfed -n __xmppfed_no_verb -a get-partner-status -d 'Show what the edge saw of each partner, most trouble first'
complete -c xmppfed -n __xmppfed_no_verb -a remove-session -d 'Close live S2S streams'
complete -c xmppfed -n __xmppfed_no_verb -a get-audit-log -d 'List the audit log: who changed what, and who tried'
complete -c xmppfed -n __xmppfed_no_verb -a get-agent -d "Show the agent's version, uptime, store and addresses"
complete -c xmppfed -n __xmppfed_no_verb -a get-node -d 'List the agents sharing the store'
complete -c xmppfed -n __xmppfed_no_verb -a version -d 'Print the version of this CLI'
complete -c xmppfed -n __xmppfed_no_verb -a help -d "Show the verbs, or one verb's help"
complete -c xmppfed -n __xmppfed_no_verb -a completion -d 'Print the tab-completion script for a shell'

# new-partner, set-partner: the writable fields of a partner.
set -l fields '__xmppfed_verb_is new-partner set-partner'
complete -c xmppfed -n $fields -l description -x -d 'Free text, at most 1024 characters'
complete -c xmppfed -n $fields -l additional-domains -x -d "The partner's other domains"
complete -c xmppfed -n $fields -l partner-type -x -a 'Federated PublicVerified PublicUnverified' -d 'What may pass'
complete -c xmppfed -n $fields -l tls-negotiation -x -a 'Required Optional NotSupported' -d STARTTLS
complete -c xmppfed -n $fields -l sasl-negotiation -x -a 'Required Optional NotSupported' -d 'SASL EXTERNAL'
complete -c xmppfed -n $fields -l support-dialback-negotiation -x -a 'true false' -d 'Server Dialback'
complete -c xmppfed -n $fields -l proxy-fqdn -x -d 'Connect here instead of the DNS SRV lookup (tls:// for direct TLS)'
complete -c xmppfed -n $fields -l enable-keep-alive -x -a 'true false' -d 'Whitespace keep-alives on idle streams'
complete -c xmppfed -n $fields -l connection-limit -x -d 'Streams at once'
complete -c xmppfed -n '__xmppfed_verb_is set-partner' -l add-additional-domains -x -d "Add to the partner's other domains"
complete -c xmppfed -n '__xmppfed_verb_is set-partner' -l remove-additional-domains -x -d "Remove from the partner's other domains"
complete -c xmppfed -n '__xmppfed_verb_is set-partner' -l pass-thru -d 'Print the partner afterwards'
complete -c xmppfed -n '__xmppfed_verb_is set-partner' -l from-input -d 'With -: apply the fields each NDJSON target carries too'
complete -c xmppfed -n '__xmppfed_verb_is set-partner remove-partner' -l atomic -d 'With -: all targets or none'

# IDENTITY: a new name for new-partner, a partner of the agent otherwise.
complete -c xmppfed -n '__xmppfed_verb_is new-partner' -l identity -x -d 'The new partner'
set -l existing '__xmppfed_verb_is set-partner get-partner remove-partner test-partner'
complete -c xmppfed -n $existing -l identity -x -a '(__xmppfed_identities)' -d 'The same as the IDENTITY argument'
complete -c xmppfed -n $existing -a '(__xmppfed_identities)' -d Partner
complete -c xmppfed -n '__xmppfed_verb_is get-partner remove-partner' -l filter -x -d 'Identities matching this glob'
complete -c xmppfed -n '__xmppfed_verb_is test-partner' -l timeout -x -d 'Give up after this many seconds'

# import-partners [FILE|-]
complete -c xmppfed -n '__xmppfed_verb_is import-partners' -F
complete -c xmppfed -n '__xmppfed_verb_is import-partners' -l format -x -a 'csv ndjson json' -d "The input's format"
complete -c xmppfed -n '__xmppfed_verb_is import-partners' -l update -d 'Change partners that exist instead of refusing them'
complete -c xmppfed -n '__xmppfed_verb_is import-partners' -l atomic -d 'Write all records or none'
complete -c xmppfed -n '__xmppfed_verb_is import-partners' -l delimiter -x -a ', ; tab' -d 'What separates CSV fields'

# set-gateway-config
set -l gateway '__xmppfed_verb_is set-gateway-config'
complete -c xmppfed -n $gateway -l connection-limit -x -d 'S2S streams at once, all partners together'
complete -c xmppfed -n $gateway -l partner-connection-limit -x -d 'Streams per partner by default'
complete -c xmppfed -n $gateway -l keep-alive-interval -x -d 'Seconds between whitespace keep-alives'
complete -c xmppfed -n $gateway -l stream-establishment-timeout -x -d 'Seconds a stream may take to negotiate'
complete -c xmppfed -n $gateway -l stream-inactivity-timeout -x -d 'Seconds before an idle stream is closed'
complete -c xmppfed -n $gateway -l max-stanza-size -x -d 'Largest stanza in bytes'
complete -c xmppfed -n $gateway -l stream-output-high-watermark -x -d 'Queued output bytes above which a stream'\''s feeders pause'
complete -c xmppfed -n $gateway -l stream-output-low-watermark -x -d 'Queued output bytes at which they resume'
complete -c xmppfed -n $gateway -l component-connection-limit -x -d 'Component connections at once'
complete -c xmppfed -n $gateway -l audit-retention-days -x -d 'Days the audit log keeps an entry'
complete -c xmppfed -n $gateway -l unauthenticated-stream-limit -x -d 'Inbound streams still negotiating at once'
complete -c xmppfed -n $gateway -l unauthenticated-streams-per-address -x -d 'Of those, from one source address'
complete -c xmppfed -n $gateway -l unauthenticated-stream-timeout -x -d 'Seconds an inbound stream may stay unauthenticated'
complete -c xmppfed -n $gateway -l enable-logging-all-message-bodies -x -a 'true false' -d 'Let message bodies reach the logs'
complete -c xmppfed -n $gateway -l enable-bidirectional-streams -x -a 'true false' -d 'Offer and request XEP-0288 bidirectional streams'
complete -c xmppfed -n $gateway -l dialback-passphrase -x -d 'The dialback key secret'
complete -c xmppfed -n $gateway -l dialback-passphrase-file -r -F -d 'Read the dialback key secret from FILE'
complete -c xmppfed -n $gateway -l pass-thru -d 'Print the settings afterwards'

# get-session [--partner P], remove-session ID... | --partner P (the IDs,
# numbers from get-session, are not completed).
complete -c xmppfed -n '__xmppfed_verb_is get-session remove-session' -l partner -x -a '(__xmppfed_identities)' -d 'The streams of this partner'
complete -c xmppfed -n '__xmppfed_verb_is get-partner-status' -l partner -x -a '(__xmppfed_identities)' -d 'Only this partner'

# get-audit-log
set -l audit '__xmppfed_verb_is get-audit-log'
complete -c xmppfed -n $audit -l since -x -d 'Entries from this time (or this long ago) on'
complete -c xmppfed -n $audit -l until -x -d 'Entries up to this time (or this long ago)'
complete -c xmppfed -n $audit -l identity -x -a '(__xmppfed_identities)' -d 'Entries that touched this partner'
complete -c xmppfed -n $audit -l caller -x -a '(__fish_complete_users)' -d 'Entries of this user name or uid'
complete -c xmppfed -n $audit -l verb -x -a 'new-partner set-partner get-partner remove-partner test-partner import-partners get-gateway-config set-gateway-config get-session remove-session get-audit-log get-agent' -d 'Entries of this verb'
complete -c xmppfed -n $audit -l result -x -a 'ok refused denied' -d 'Entries with this result'

# completion SHELL
complete -c xmppfed -n '__xmppfed_verb_is completion' -a 'bash zsh fish' -d Shell

# help [VERB]
complete -c xmppfed -n '__xmppfed_verb_is help' -a 'new-partner set-partner get-partner remove-partner test-partner import-partners get-gateway-config set-gateway-config get-session remove-session get-partner-status get-agent version help completion' -d Verb

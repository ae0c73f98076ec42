#!/bin/zsh -f
# zsh_complete.zsh MODE SCRIPT DIR LINE...
#
# Drives real zsh completion for each LINE, as if TAB were pressed at its
# end in directory DIR, and prints the matches completion offered, one per
# line, then "--end--" per LINE, and "--done--" at the very end. What else
# the terminal showed follows "<<tty>>" (so a test can spot noise).
#
# MODE "autoload": SCRIPT is installed as the completion function _xmppfed
# in a private fpath directory, as zsh/vendor-completions/_xmppfed is.
# MODE "source": SCRIPT is sourced after compinit, as
# `source <(xmppfed completion zsh)` does.
#
# Completion functions only run inside the line editor, so the LINEs are
# typed into an interactive `zsh -f -i` on a pseudo-terminal (zsh/zpty); a
# compadd wrapper there prints each match instead of offering it.
zmodload zsh/zpty || { print -u2 'zsh_complete: no zsh/zpty'; exit 2 }
mode=$1 script=$2 dir=$3
shift 3
cd -- $dir || exit 2

fdir=$(mktemp -d) || exit 2
trap 'rm -rf -- $fdir' EXIT
if [[ $mode == autoload ]]; then
  cp -- $script $fdir/_xmppfed || exit 2
  load="fpath=(${(q)fdir} \$fpath); autoload -Uz compinit && compinit -u -D"
else
  load="autoload -Uz compinit && compinit -u -D && source ${(q)script}"
fi

# Everything the shell on the pty does before the lines are typed.
cat > $fdir/setup.zsh <<SETUP
PROMPT= RPROMPT= PS2=
unsetopt zle_bracketed_paste 2>/dev/null
$load
bindkey -e
bindkey '^I' complete-word
# Each completion run ends with a line "<<end>>". Completion empties these
# arrays after each run, so the functions put themselves back.
_zc_begin() { compprefuncs=(_zc_begin) }
_zc_end() { comppostfuncs=(_zc_end); print -r -- '<<end>>' }
compprefuncs=(_zc_begin)
comppostfuncs=(_zc_end)
zstyle ':completion:*' insert-tab false
zstyle ':completion:*' list-grouped false
compadd() {
  # A call that only collects (-O/-A/-D) offers nothing: pass it through.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  local ret=\$?
  local h
  for h in \$__hits; do print -r -- "<<match>>\$h"; done
  return ret
}
print -r -- '<<ready>>'
SETUP

zpty z zsh -f -i || exit 2
zpty -w z "source ${(q)fdir}/setup.zsh"
zpty -r z line '*<<ready>>*' || exit 2

local input chunk l
for input in "$@"; do
  # Clear the edit buffer (Ctrl-U), type the line, press TAB. zpty -r
  # blocks until completion has printed its end mark.
  zpty -w -n z $'\C-u'"$input"$'\t'
  chunk=
  zpty -r z chunk '*<<end>>*' || exit 2
  for l in ${(f)chunk}; do
    l=${l%$'\r'}
    if [[ $l == *'<<match>>'* ]]; then
      print -r -- ${l#*<<match>>}
    elif [[ $l != *'<<end>>'* && -n $l ]]; then
      print -r -- "<<tty>>$l"
    fi
  done
  print -r -- --end--
done
zpty -d z
print -r -- --done--

// The shell completion scripts of completions/, embedded in the xmppfed
// binary at build time (completions/embed_scripts.cmake generates the
// definition from the files themselves), so that `xmppfed completion SHELL`
// prints exactly the bytes that `cmake --install` puts in place.
#ifndef XMPPFED_COMPLETIONS_COMPLETION_SCRIPTS_H_
#define XMPPFED_COMPLETIONS_COMPLETION_SCRIPTS_H_

#include <string_view>

namespace xmppfed::completions {

// The script for "bash", "zsh" or "fish"; empty for any other name.
std::string_view CompletionScript(std::string_view shell);

}  // namespace xmppfed::completions

#endif  // XMPPFED_COMPLETIONS_COMPLETION_SCRIPTS_H_

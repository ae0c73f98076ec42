// "Did you mean": the known words closest to a mistyped one, for verbs
// (get-partners), options (--fliter) and values.
#ifndef XMPPFED_CLI_FRONT_SUGGEST_H_
#define XMPPFED_CLI_FRONT_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace xmppfed::cli {

// The optimal string alignment distance (insertions, deletions,
// substitutions and swaps of neighbours, each 1), ignoring ASCII case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidates a typo of `word` may stand for, at most `most`, in the
// candidates' order: of those within a distance of a third of the word's
// length (at least 1, at most 3), or that the word begins (a typed prefix,
// "get-part"), the nearest.
std::vector<std::string> Suggestions(std::string_view word,
                                     const std::vector<std::string>& candidates,
                                     std::size_t most = 3);

// " (did you mean 'a'?)", " (did you mean 'a' or 'b'?)", or "" when there is
// no suggestion.
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_SUGGEST_H_

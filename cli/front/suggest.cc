#include "cli/front/suggest.h"

#include <algorithm>
#include <utility>

namespace xmppfed::cli {
namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: i-2, i-1, i.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1),
      current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) &&
          Lower(a[i - 2]) == Lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> Suggestions(std::string_view word,
                                     const std::vector<std::string>& candidates,
                                     std::size_t most) {
  std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::vector<std::pair<std::size_t, std::size_t>> ranked;  // distance, index
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string& candidate = candidates[i];
    std::size_t distance = EditDistance(word, candidate);
    bool prefix = word.size() >= 3 && candidate.size() > word.size() &&
                  EditDistance(word, candidate.substr(0, word.size())) == 0;
    if (distance <= limit || prefix) ranked.emplace_back(distance, i);
  }
  std::stable_sort(ranked.begin(), ranked.end());
  // Only the nearest: "get-partners" is get-partner, not set-partner too.
  std::vector<std::string> out;
  for (const auto& [distance, index] : ranked) {
    if (out.size() == most || distance > ranked.front().first) break;
    out.push_back(candidates[index]);
  }
  return out;
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates) {
  std::vector<std::string> found = Suggestions(word, candidates);
  if (found.empty()) return "";
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0) out += i + 1 == found.size() ? " or " : ", ";
    out += "'" + found[i] + "'";
  }
  return out + "?)";
}

}  // namespace xmppfed::cli

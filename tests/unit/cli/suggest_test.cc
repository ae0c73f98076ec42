// "Did you mean": edit distance and the suggestions made from it.
#include "cli/front/suggest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<std::string> kVerbs = {
    "new-partner", "set-partner",    "get-partner",    "remove-partner",
    "get-session", "remove-session", "import-partners"};

TEST(SuggestTest, EditDistanceCountsOneForEachTypo) {
  EXPECT_EQ(EditDistance("filter", "filter"), 0u);
  EXPECT_EQ(EditDistance("fliter", "filter"), 1u);  // neighbours swapped
  EXPECT_EQ(EditDistance("filer", "filter"), 1u);
  EXPECT_EQ(EditDistance("filtter", "filter"), 1u);
  EXPECT_EQ(EditDistance("fixter", "filter"), 1u);
  EXPECT_EQ(EditDistance("FILTER", "filter"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(SuggestTest, TheNearestCandidatesOnly) {
  EXPECT_THAT(Suggestions("get-partners", kVerbs), ElementsAre("get-partner"));
  EXPECT_THAT(Suggestions("remove-sesion", kVerbs),
              ElementsAre("remove-session"));
  EXPECT_THAT(Suggestions("--fliter", {"--filter", "--identity", "--force"}),
              ElementsAre("--filter"));
  // A typed prefix.
  EXPECT_THAT(Suggestions("import", kVerbs), ElementsAre("import-partners"));
  EXPECT_THAT(Suggestions("frobnicate", kVerbs), IsEmpty());
  EXPECT_THAT(Suggestions("x", kVerbs), IsEmpty());
}

TEST(SuggestTest, DidYouMeanReadsAsASentence) {
  EXPECT_EQ(DidYouMean("get-partners", kVerbs),
            " (did you mean 'get-partner'?)");
  EXPECT_EQ(DidYouMean("get-sesion", {"get-session", "set-session"}),
            " (did you mean 'get-session'?)");
  EXPECT_EQ(DidYouMean("xet-session", {"get-session", "set-session"}),
            " (did you mean 'get-session' or 'set-session'?)");
  EXPECT_EQ(DidYouMean("frobnicate", kVerbs), "");
}

}  // namespace
}  // namespace xmppfed::cli

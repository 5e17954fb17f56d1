// Runs every lab page of docs/labs/ (issue 6, "Labs"): the ```sh blocks in order in one bash
// process against the built iscsim, each with its declared exit code, each ```console block's
// lines in its block's output, and nothing left running afterwards. docs/labs/README.md
// documents the conventions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/docs/labs_test_support.hpp"

namespace iscsi::labs {
namespace {

namespace fs = std::filesystem;

// The numbered pages (NN-*.md); README.md is the index.
std::vector<std::string> lab_page_files() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(labs_directory(), error)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".md" && name != "README.md") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class LabPageTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LabPageTest, EveryCommandBlockRunsAsThePageSays) {
  const std::string file = GetParam();
  const std::string name = "docs/labs/" + file;
  const LabRunOptions options = default_run_options();
  const LabRunResult result = run_lab_page(read_file(labs_directory() / file), name, options);
  for (const std::string& failure : result.failures) ADD_FAILURE() << failure;
  if (!result.failures.empty() && options.keep_directory) {
    ADD_FAILURE() << name << ": its directory is kept in " << result.directory;
  }
  if (result.failures.empty()) {
    EXPECT_GT(result.blocks_run, 0) << name << " has no ```sh block";
  }
}

std::string page_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = "p" + info.param.substr(0, info.param.size() - 3);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(DocsLabs, LabPageTest, ::testing::ValuesIn(lab_page_files()),
                         page_test_name);

TEST(LabIndex, ListsEveryPageAndThereAreSeven) {
  const std::vector<std::string> pages = lab_page_files();
  EXPECT_EQ(pages.size(), 7U);
  const std::string index = read_file(labs_directory() / "README.md");
  for (const std::string& page : pages) {
    EXPECT_NE(index.find("(" + page + ")"), std::string::npos)
        << "docs/labs/README.md does not link " << page;
  }
}

TEST(LabIndex, EveryPageNamesItsScenarioAndAsksAQuestionWithAnAnswer) {
  for (const std::string& page : lab_page_files()) {
    const std::string text = read_file(labs_directory() / page);
    EXPECT_NE(text.find("iscsim run builtin:"), std::string::npos) << page;
    EXPECT_NE(text.find("RFC 7143 §"), std::string::npos) << page;
    EXPECT_NE(text.find("<details>"), std::string::npos) << page;
    EXPECT_NE(text.find("## Question"), std::string::npos) << page;
  }
}

// A real page with one expected exit code changed must fail, naming the page, the block's line
// and what the command printed: the page test can fail.
TEST(LabHarnessOnARealPage, AWrongExpectedExitCodeFailsWithTheLineAndTheOutput) {
  std::string text = read_file(labs_directory() / "04-chap-one-way.md");
  const std::string marker = "```sh exit=24";
  const std::size_t at = text.find(marker);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, marker.size(), "```sh exit=19");
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at),
                                               '\n')) + 1;
  const LabRunResult result = run_lab_page(text, "04-broken.md", default_run_options());
  ASSERT_FALSE(result.failures.empty());
  const std::string& failure = result.failures.front();
  EXPECT_NE(failure.find("04-broken.md:" + std::to_string(line) + ":"), std::string::npos)
      << failure;
  EXPECT_NE(failure.find("exited 24, expected 19"), std::string::npos) << failure;
  EXPECT_NE(failure.find("initiator reported error (24"), std::string::npos) << failure;
}

}  // namespace
}  // namespace iscsi::labs

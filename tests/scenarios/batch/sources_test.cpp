// Inputs of `iscsim run`: files, folders (recursive, sorted), built-in files, and the errors
// that stop a run before anything runs (docs/running.md, Inputs).
#include "scenarios/batch/sources.hpp"

#include <gtest/gtest.h>

#include "scenarios/batch/builtin_suite.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"

namespace iscsi::scenarios::batch {
namespace {

using testing::TempDir;
using testing::write_text;

std::string tiny_yaml(const std::string& name) {
  return "name: " + name +
         "\nhosts:\n  t: {ip: 10.0.0.1}\n  c: {ip: 10.0.0.2}\ntarget: {host: t}\n"
         "initiator: {host: c, initiatorname: \"iqn.2020-01.test:c\"}\nsteps:\n  - wait: 1ms\n";
}

std::vector<std::string> files_of(const std::vector<ScenarioSource>& sources) {
  std::vector<std::string> files;
  for (const ScenarioSource& source : sources) files.push_back(source.file);
  return files;
}

TEST(BatchSources, FolderIsSearchedRecursivelyInPathOrder) {
  TempDir dir("sources");
  std::filesystem::create_directories(dir.path() / "sub");
  write_text(dir / "b.yaml", tiny_yaml("b"));
  write_text(dir / "a.yaml", tiny_yaml("a"));
  write_text(dir.path() / "sub" / "c.yaml", tiny_yaml("c"));
  write_text(dir / "notes.txt", "not a scenario");
  write_text(dir / "a.yml", "not searched: only *.yaml");
  const std::string single = dir / "a.yaml";
  auto sources = collect_sources({dir.path().string(), single});
  ASSERT_TRUE(sources.ok()) << sources.error().detail;
  const std::string root = dir.path().string();
  EXPECT_EQ(files_of(*sources), (std::vector<std::string>{root + "/a.yaml", root + "/b.yaml",
                                                          root + "/sub/c.yaml", single}));
  EXPECT_EQ(sources->front().text, tiny_yaml("a"));
}

TEST(BatchSources, MissingInputsAreNamed) {
  TempDir dir("sources-missing");
  auto missing = collect_sources({dir / "nope.yaml"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().detail, dir / "nope.yaml" + ": no such file or folder");
  auto empty = collect_sources({dir.path().string()});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().detail, dir.path().string() + ": no *.yaml file in this folder");
  auto builtin = collect_sources({"builtin:no-such-scenario.yaml"});
  ASSERT_FALSE(builtin.ok());
  EXPECT_NE(builtin.error().detail.find("builtin:no-such-scenario.yaml: no such built-in"),
            std::string::npos)
      << builtin.error().detail;
}

TEST(BatchSources, NoInputMeansTheBuiltInSuite) {
  auto sources = collect_sources({});
  if (builtin_files().empty()) {
    ASSERT_FALSE(sources.ok());
    GTEST_SKIP() << "scenarios/builtin held no scenario at build time";
  }
  ASSERT_TRUE(sources.ok()) << sources.error().detail;
  ASSERT_EQ(sources->size(), builtin_files().size());
  for (std::size_t i = 0; i < sources->size(); ++i) {
    EXPECT_EQ((*sources)[i].file, "builtin:" + std::string(builtin_files()[i].name));
    EXPECT_EQ((*sources)[i].text, builtin_files()[i].text);
  }
  // One built-in file by name, with or without ".yaml".
  const std::string name(builtin_files().front().name);
  auto one = collect_sources({"builtin:" + name.substr(0, name.size() - 5)});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(files_of(*one), std::vector<std::string>{"builtin:" + name});
}

TEST(BatchSources, BuiltInFilesAreTheSourceTreeFiles) {
  for (const BuiltinFile& file : builtin_files()) {
    const std::string path =
        std::string(ISCSI_SOURCE_DIR "/scenarios/builtin/") + std::string(file.name);
    EXPECT_EQ(testing::slurp(path), file.text) << path << " changed since the build";
  }
}

TEST(BatchSources, LoadErrorCitesFileLineAndColumn) {
  auto loaded = load_sources(
      {{"good.yaml", tiny_yaml("good")}, {"bad.yaml", tiny_yaml("bad") + "  - wiat: 1ms\n"}});
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.error().detail.starts_with("bad.yaml:9:5: ")) << loaded.error().detail;
}

TEST(BatchSources, DuplicateNamesAcrossInputsAreAnError) {
  auto loaded = load_sources({{"one.yaml", tiny_yaml("same")}, {"two.yaml", tiny_yaml("same")}});
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().detail,
            "two.yaml: scenario name 'same' is already the name of the scenario in one.yaml "
            "(names must be unique: they name the reports and pcaps)");
  auto fine = load_sources({{"one.yaml", tiny_yaml("a")}, {"two.yaml", tiny_yaml("b")}});
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->at(1).file, "two.yaml");
  EXPECT_EQ(fine->at(1).scenario.name, "b");
}

}  // namespace
}  // namespace iscsi::scenarios::batch

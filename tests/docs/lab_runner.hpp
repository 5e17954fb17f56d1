#pragma once
// Runs one lab page as a student would type it: its ```sh blocks in order in one bash process,
// in a fresh directory, against a free port on 127.0.0.1, then stops everything the page left
// running. docs/labs/README.md ("How the pages are tested") describes what is checked.
#include <chrono>
#include <string>
#include <vector>

namespace iscsi::labs {

struct LabRunOptions {
  std::string path_prefix;                   // put first in PATH (the built iscsim's folder)
  std::chrono::seconds timeout{120};         // the whole page
  std::chrono::seconds leftover_grace{5};    // for background work to end after the page
  bool keep_directory = false;               // keep the temporary directory (for debugging)
};

struct LabRunResult {
  std::vector<std::string> failures;  // each a complete message naming the page and a line
  int blocks_run = 0;                 // ```sh blocks that finished as expected
  std::string directory;              // the temporary directory (removed unless kept)
};

// `name` is how messages name the page (e.g. "docs/labs/03-ip-acl.md").
LabRunResult run_lab_page(const std::string& page_text, const std::string& name,
                          const LabRunOptions& options);

}  // namespace iscsi::labs

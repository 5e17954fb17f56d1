#pragma once
// A small XML 1.0 well-formedness checker for the junit.xml tests (no XML library is a
// dependency of the tests): UTF-8, allowed characters, balanced and well-nested elements,
// quoted unique attributes, valid entity and character references, one root element.
#include <string>
#include <string_view>

namespace iscsi::reports::test {

// Empty when `document` is well-formed, else a sentence saying what is wrong and where.
std::string xml_problem(std::string_view document);

}  // namespace iscsi::reports::test

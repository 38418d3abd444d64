#pragma once
// Runs tests/transcripts/FILE_NAME through the real binary and checks each
// statement's output against its `# expect:` lines (transcript_test.cpp).
#include <string>

namespace fw::test {

void check_transcript(const std::string& file_name);

}  // namespace fw::test

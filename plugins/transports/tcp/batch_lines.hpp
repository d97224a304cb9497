// Client side: a data_batch document as NDJSON record lines, each record
// carrying the document's node_id unless it names its own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nebula::transport::tcp {

struct BatchLines {
  std::string text;  // "rec\nrec\n"
  size_t count = 0;
  std::string node_id;  // the document's node_id when it is a string, else ""
};

// Throws nebula::Error(NEBULA_INVALID) when batch_json is not a data_batch document.
BatchLines batch_to_lines(std::string_view batch_json);

}  // namespace nebula::transport::tcp

// Builds a canonical record batch from rows written as {column: value}; columns
// a row omits are null, as the host does for fields a node did not report.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nebula/arrow_batch.hpp>

namespace test_rows {

using Cell = std::variant<int64_t, double, std::string>;
using Row = std::map<std::string, Cell>;

inline nebula::OwnedBatch make_batch(const std::vector<Row>& rows) {
  auto builder = nebula::RecordBatchBuilder::canonical();
  for (const Row& row : rows) {
    for (size_t col = 0; col < nebula::fields::all.size(); ++col) {
      const auto& field = nebula::fields::all[col];
      auto it = row.find(std::string(field.name));
      if (it == row.end()) {
        builder.append_null(col);
      } else if (const auto* text = std::get_if<std::string>(&it->second)) {
        builder.append_text(col, *text);
      } else {
        const double number = std::holds_alternative<double>(it->second)
                                  ? std::get<double>(it->second)
                                  : static_cast<double>(std::get<int64_t>(it->second));
        if (field.type == nebula::fields::Type::Int64) builder.append_int(col, static_cast<int64_t>(number));
        else builder.append_double(col, number);
      }
    }
  }
  return nebula::OwnedBatch(std::move(builder));
}

}  // namespace test_rows

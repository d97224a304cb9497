// Columnar record batches in the Arrow C Data Interface layout.
//
// RecordBatchView reads a borrowed struct array by column name (no copies).
// RecordBatchBuilder builds one and exports it with a release callback that
// frees everything, so ownership can be moved across the C ABI.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nebula/nebula_plugin.h"
#include "nebula/record_fields.hpp"

namespace nebula {

using fields::Type;

// A typed read-only view of one column. A column missing from the batch is
// an "absent" view whose every cell reads as null.
class ColumnView {
 public:
  ColumnView() = default;
  ColumnView(const ArrowSchema* schema, const ArrowArray* array) : array_(array) {
    std::string_view fmt = schema->format ? schema->format : "";
    if (fmt == "u") type_ = Kind::Utf8;
    else if (fmt == "l") type_ = Kind::Int64;
    else if (fmt == "g") type_ = Kind::Float64;
    else throw std::invalid_argument("unsupported column format '" + std::string(fmt) + "'");
  }

  bool present() const { return type_ != Kind::Absent; }
  int64_t size() const { return array_ ? array_->length : 0; }

  bool valid(int64_t row) const {
    if (!present() || row < 0 || row >= array_->length) return false;
    const auto* bitmap = static_cast<const uint8_t*>(array_->buffers[0]);
    if (!bitmap) return true;
    const int64_t bit = row + array_->offset;
    return (bitmap[bit >> 3] >> (bit & 7)) & 1;
  }

  // Value as double for numeric columns (int64 widened); NaN when null/absent.
  double number(int64_t row) const {
    if (!valid(row)) return std::numeric_limits<double>::quiet_NaN();
    if (type_ == Kind::Float64) return static_cast<const double*>(array_->buffers[1])[row + array_->offset];
    if (type_ == Kind::Int64)
      return static_cast<double>(static_cast<const int64_t*>(array_->buffers[1])[row + array_->offset]);
    return std::numeric_limits<double>::quiet_NaN();
  }

  // Value as int64 for numeric columns; `fallback` when null/absent.
  int64_t integer(int64_t row, int64_t fallback = 0) const {
    if (!valid(row)) return fallback;
    if (type_ == Kind::Int64) return static_cast<const int64_t*>(array_->buffers[1])[row + array_->offset];
    if (type_ == Kind::Float64)
      return static_cast<int64_t>(static_cast<const double*>(array_->buffers[1])[row + array_->offset]);
    return fallback;
  }

  // Value of a utf8 column; empty when null/absent.
  std::string_view text(int64_t row) const {
    if (!valid(row) || type_ != Kind::Utf8) return {};
    const auto* offsets = static_cast<const int32_t*>(array_->buffers[1]);
    const auto* data = static_cast<const char*>(array_->buffers[2]);
    const int64_t i = row + array_->offset;
    return {data + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }

 private:
  enum class Kind { Absent, Utf8, Int64, Float64 };
  Kind type_ = Kind::Absent;
  const ArrowArray* array_ = nullptr;
};

// Borrowed view of a struct-typed batch: columns found by name.
class RecordBatchView {
 public:
  RecordBatchView(const ArrowSchema* schema, const ArrowArray* array) : schema_(schema), array_(array) {
    if (!schema || !array) throw std::invalid_argument("null batch");
    if (std::string_view(schema->format ? schema->format : "") != "+s")
      throw std::invalid_argument("record batch must be a struct array (format '+s')");
    if (schema->n_children != array->n_children)
      throw std::invalid_argument("schema and array disagree on the column count");
    for (int64_t i = 0; i < schema->n_children; ++i) index_.emplace(schema->children[i]->name, i);
  }

  int64_t rows() const { return array_->length; }

  ColumnView column(std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) return {};
    return ColumnView(schema_->children[it->second], array_->children[it->second]);
  }

  std::vector<std::string> column_names() const {
    std::vector<std::string> names;
    for (int64_t i = 0; i < schema_->n_children; ++i) names.emplace_back(schema_->children[i]->name);
    return names;
  }

 private:
  const ArrowSchema* schema_;
  const ArrowArray* array_;
  std::unordered_map<std::string, int64_t> index_;
};

// Builds a struct batch column by column, then exports it (moves ownership).
class RecordBatchBuilder {
 public:
  // A builder with the canonical columns (fields::all).
  static RecordBatchBuilder canonical() {
    RecordBatchBuilder b;
    for (const auto& f : fields::all) b.add_column(std::string(f.name), f.type);
    return b;
  }

  size_t add_column(std::string name, Type type) {
    columns_.push_back(Column{std::move(name), type, {}, {}, {}, {0}, {}, 0, 0});
    return columns_.size() - 1;
  }
  size_t column_count() const { return columns_.size(); }
  size_t find(std::string_view name) const {
    for (size_t i = 0; i < columns_.size(); ++i)
      if (columns_[i].name == name) return i;
    throw std::out_of_range("no column " + std::string(name));
  }

  void append_null(size_t col) { push_validity(columns_.at(col), false); pad_value(columns_[col]); }
  void append_int(size_t col, int64_t v) {
    auto& c = checked(col, Type::Int64);
    push_validity(c, true);
    c.ints.push_back(v);
  }
  void append_double(size_t col, double v) {
    auto& c = checked(col, Type::Float64);
    push_validity(c, true);
    c.doubles.push_back(v);
  }
  void append_text(size_t col, std::string_view v) {
    auto& c = checked(col, Type::Utf8);
    push_validity(c, true);
    c.chars.append(v);
    c.offsets.push_back(static_cast<int32_t>(c.chars.size()));
  }

  // Rows in the batch; every column must have the same length at export.
  int64_t rows() const { return columns_.empty() ? 0 : columns_[0].length; }

  // Moves the data into (schema, array); both must later be released by
  // their owner through their release callbacks.
  void export_to(ArrowSchema* schema, ArrowArray* array) {
    for (auto& c : columns_)
      if (c.length != rows()) throw std::logic_error("column '" + c.name + "' has a different length");
    auto owned = std::make_unique<Exported>();
    owned->columns = std::move(columns_);
    columns_.clear();
    const size_t n = owned->columns.size();
    owned->child_schemas.resize(n);
    owned->child_arrays.resize(n);
    owned->child_schema_ptrs.resize(n);
    owned->child_array_ptrs.resize(n);
    owned->child_buffers.resize(n);
    int64_t length = n ? owned->columns[0].length : 0;
    for (size_t i = 0; i < n; ++i) {
      auto& c = owned->columns[i];
      ArrowSchema& s = owned->child_schemas[i];
      s = ArrowSchema{};
      s.format = c.type == Type::Utf8 ? "u" : c.type == Type::Int64 ? "l" : "g";
      s.name = c.name.c_str();
      s.flags = ARROW_FLAG_NULLABLE;
      s.release = &release_child_schema;
      ArrowArray& a = owned->child_arrays[i];
      a = ArrowArray{};
      a.length = c.length;
      a.null_count = c.null_count;
      auto& bufs = owned->child_buffers[i];
      bufs[0] = c.null_count ? c.validity.data() : nullptr;
      if (c.type == Type::Utf8) {
        bufs[1] = c.offsets.data();
        bufs[2] = c.chars.data();
        a.n_buffers = 3;
      } else {
        bufs[1] = c.type == Type::Int64 ? static_cast<const void*>(c.ints.data())
                                        : static_cast<const void*>(c.doubles.data());
        a.n_buffers = 2;
      }
      a.buffers = bufs.data();
      a.release = &release_child_array;
      owned->child_schema_ptrs[i] = &s;
      owned->child_array_ptrs[i] = &a;
    }
    *schema = ArrowSchema{};
    schema->format = "+s";
    schema->name = "";
    schema->n_children = static_cast<int64_t>(n);
    schema->children = owned->child_schema_ptrs.data();
    schema->release = &release_schema;
    *array = ArrowArray{};
    array->length = length;
    array->n_buffers = 1;
    array->buffers = owned->struct_buffers;
    array->n_children = static_cast<int64_t>(n);
    array->children = owned->child_array_ptrs.data();
    array->release = &release_array;
    // Schema and array share one allocation; it is freed when both are released.
    auto* shared = owned.release();
    shared->refs = 2;
    schema->private_data = shared;
    array->private_data = shared;
  }

 private:
  struct Column {
    std::string name;
    Type type;
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    std::string chars;
    std::vector<int32_t> offsets;
    std::vector<uint8_t> validity;
    int64_t length;
    int64_t null_count;
  };

  struct Exported {
    std::vector<Column> columns;
    std::vector<ArrowSchema> child_schemas;
    std::vector<ArrowArray> child_arrays;
    std::vector<ArrowSchema*> child_schema_ptrs;
    std::vector<ArrowArray*> child_array_ptrs;
    std::vector<std::array<const void*, 3>> child_buffers;
    const void* struct_buffers[1] = {nullptr};
    int refs = 0;
  };

  Column& checked(size_t col, Type t) {
    auto& c = columns_.at(col);
    if (c.type != t) throw std::invalid_argument("column '" + c.name + "' has another type");
    return c;
  }
  static void push_validity(Column& c, bool valid) {
    const int64_t i = c.length++;
    if ((i >> 3) >= static_cast<int64_t>(c.validity.size())) c.validity.push_back(0);
    if (valid) c.validity[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    else ++c.null_count;
  }
  static void pad_value(Column& c) {
    if (c.type == Type::Int64) c.ints.push_back(0);
    else if (c.type == Type::Float64) c.doubles.push_back(0.0);
    else c.offsets.push_back(static_cast<int32_t>(c.chars.size()));
  }
  static void drop_ref(void* p) {
    auto* e = static_cast<Exported*>(p);
    if (--e->refs == 0) delete e;
  }
  static void release_child_schema(ArrowSchema* s) { s->release = nullptr; }
  static void release_child_array(ArrowArray* a) { a->release = nullptr; }
  static void release_schema(ArrowSchema* s) {
    for (int64_t i = 0; i < s->n_children; ++i)
      if (s->children[i]->release) s->children[i]->release(s->children[i]);
    void* p = s->private_data;
    s->release = nullptr;
    drop_ref(p);
  }
  static void release_array(ArrowArray* a) {
    for (int64_t i = 0; i < a->n_children; ++i)
      if (a->children[i]->release) a->children[i]->release(a->children[i]);
    void* p = a->private_data;
    a->release = nullptr;
    drop_ref(p);
  }

  std::vector<Column> columns_;
};

// Owns an exported batch and releases it on destruction.
class OwnedBatch {
 public:
  OwnedBatch() = default;
  explicit OwnedBatch(RecordBatchBuilder&& builder) { builder.export_to(&schema_, &array_); }
  OwnedBatch(const OwnedBatch&) = delete;
  OwnedBatch& operator=(const OwnedBatch&) = delete;
  OwnedBatch(OwnedBatch&& o) noexcept : schema_(o.schema_), array_(o.array_) {
    o.schema_.release = nullptr;
    o.array_.release = nullptr;
  }
  OwnedBatch& operator=(OwnedBatch&& o) noexcept {
    if (this != &o) {
      reset();
      schema_ = o.schema_;
      array_ = o.array_;
      o.schema_.release = nullptr;
      o.array_.release = nullptr;
    }
    return *this;
  }
  ~OwnedBatch() { reset(); }

  const ArrowSchema* schema() const { return &schema_; }
  const ArrowArray* array() const { return &array_; }
  RecordBatchView view() const { return RecordBatchView(&schema_, &array_); }
  int64_t rows() const { return array_.release ? array_.length : 0; }

 private:
  void reset() {
    if (schema_.release) schema_.release(&schema_);
    if (array_.release) array_.release(&array_);
  }
  ArrowSchema schema_{};
  ArrowArray array_{};
};

}  // namespace nebula

#include "cli/output/table.h"

#include <algorithm>
#include <utility>

namespace xmppfed::cli {
namespace {

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void RemoveTrailingSpaces(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

void AppendPadded(std::string& line, std::string_view text, std::size_t width) {
  line += text;
  std::size_t shown = DisplayWidth(text);
  if (shown < width) line.append(width - shown, ' ');
}

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return !IsContinuationByte(c); }));
}

std::string Truncate(std::string_view text, std::size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  constexpr std::string_view kEllipsis = "...";
  std::size_t keep = width > kEllipsis.size() ? width - kEllipsis.size() : 0;
  std::size_t end = 0;
  for (std::size_t points = 0; end < text.size(); ++end) {
    if (!IsContinuationByte(text[end]) && points++ == keep) break;
  }
  std::string out(text.substr(0, end));
  out += kEllipsis.substr(0, std::min(width, kEllipsis.size()));
  return out;
}

std::string CleanForTerminal(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t' || c == '\r' || c == '\n') {
      c = ' ';
    } else if (u < 0x20 || u == 0x7F) {
      c = '?';
    }
  }
  return out;
}

TableWriter::TableWriter(std::ostream& out, std::vector<TableColumn> columns,
                         std::size_t alignment_rows, std::size_t line_width)
    : out_(out),
      columns_(std::move(columns)),
      alignment_rows_(std::max<std::size_t>(alignment_rows, 1)),
      line_width_(line_width) {
  for (TableColumn& column : columns_) {
    if (column.header.empty()) column.header = KeyToLabel(column.key);
  }
}

void TableWriter::Write(const Record& record) {
  std::vector<std::string> cells;
  cells.reserve(columns_.size());
  for (const TableColumn& column : columns_) {
    const Value* value = record.Find(column.key);
    cells.push_back(value == nullptr
                        ? std::string()
                        : CleanForTerminal(ValueText(*value, kTableTextStyle)));
  }
  if (!widths_.empty()) {
    PrintRow(cells);
    return;
  }
  pending_.push_back(std::move(cells));
  if (pending_.size() >= alignment_rows_) FixWidths();
}

void TableWriter::Finish() {
  if (widths_.empty() && !pending_.empty()) FixWidths();
  out_.flush();
}

void TableWriter::FixWidths() {
  widths_.resize(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    std::size_t header = DisplayWidth(columns_[c].header);
    std::size_t widest = header;
    for (const auto& row : pending_) {
      widest = std::max(widest, DisplayWidth(row[c]));
    }
    if (columns_[c].max_width > 0) {
      widest = std::min(widest, std::max(columns_[c].max_width, header));
    }
    widths_[c] = widest;
  }
  // Past the line width, the last column (a description, a list, an error)
  // gives way: it is cut, not the columns before it that identify a row.
  if (line_width_ > 0 && !columns_.empty()) {
    constexpr std::size_t kLastColumnAtLeast = 10;
    std::size_t before = 0;
    for (std::size_t c = 0; c + 1 < columns_.size(); ++c) {
      before += widths_[c] + 1;
    }
    std::size_t room = line_width_ > before ? line_width_ - before : 0;
    std::size_t limit = std::max(room, kLastColumnAtLeast);
    std::size_t& own = columns_.back().max_width;
    own = own == 0 ? limit : std::min(own, limit);
  }

  std::string header_line;
  std::string underline;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (c > 0) header_line += ' ', underline += ' ';
    AppendPadded(header_line, columns_[c].header, widths_[c]);
    AppendPadded(underline, std::string(DisplayWidth(columns_[c].header), '-'),
                 widths_[c]);
  }
  RemoveTrailingSpaces(header_line);
  RemoveTrailingSpaces(underline);
  out_ << header_line << '\n' << underline << '\n';

  for (const auto& row : pending_) PrintRow(row);
  pending_.clear();
  pending_.shrink_to_fit();
}

void TableWriter::PrintRow(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (c > 0) line += ' ';
    bool last = c + 1 == columns_.size();
    // Only columns with a max_width are cut; a longer cell elsewhere (say, an
    // identity arriving after the widths were fixed) pushes the rest of its
    // row right rather than lose characters that identify something.
    // The last column is not padded: it may use all of its max_width even
    // when the rows that fixed the widths were narrower.
    std::size_t limit = columns_[c].max_width == 0 ? std::string::npos
                        : last                     ? columns_[c].max_width
                                                   : widths_[c];
    AppendPadded(line, Truncate(cells[c], limit), last ? 0 : widths_[c]);
  }
  RemoveTrailingSpaces(line);
  out_ << line << '\n';
}

std::string FormatList(const Record& record) {
  std::size_t label_width = 0;
  for (const Field& field : record.fields) {
    label_width = std::max(label_width, DisplayWidth(KeyToLabel(field.key)));
  }
  std::string out;
  for (const Field& field : record.fields) {
    std::string line;
    AppendPadded(line, KeyToLabel(field.key), label_width);
    line += " : ";
    if (const auto* records = std::get_if<Records>(&field.value)) {
      // One nested record per line, continuation lines under the first.
      std::string indent(label_width + 3, ' ');
      for (std::size_t i = 0; i < records->size(); ++i) {
        if (i > 0) {
          RemoveTrailingSpaces(line);
          out += line + '\n';
          line = indent;
        }
        line += CleanForTerminal(
            ValueText(Records{(*records)[i]}, kTableTextStyle));
      }
    } else {
      line += CleanForTerminal(ValueText(field.value, kTableTextStyle));
    }
    RemoveTrailingSpaces(line);
    out += line + '\n';
  }
  return out;
}

}  // namespace xmppfed::cli

#include "xmppfed/v1/spelling.h"

#include <cstddef>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::v1 {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

template <std::size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names,
                        int number) {
  if (number < 1 || number > static_cast<int>(N)) return {};
  return names[number - 1];
}

template <std::size_t N>
int NumberOf(const std::array<std::string_view, N>& names,
             std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (EqualsIgnoreCase(names[i], name)) return static_cast<int>(i) + 1;
  }
  return 0;
}

}  // namespace

std::string_view PartnerTypeName(PartnerType type) {
  return NameOf(kPartnerTypeNames, type);
}

std::string_view NegotiationName(Negotiation negotiation) {
  return NameOf(kNegotiationNames, negotiation);
}

std::string_view RoleName(Role role) {
  int number = static_cast<int>(role);
  if (number < 0 || number >= static_cast<int>(kRoleNames.size())) return {};
  return kRoleNames[static_cast<std::size_t>(number)];
}

std::optional<PartnerType> ParsePartnerType(std::string_view name) {
  int number = NumberOf(kPartnerTypeNames, name);
  if (number == 0) return std::nullopt;
  return static_cast<PartnerType>(number);
}

std::optional<Negotiation> ParseNegotiation(std::string_view name) {
  int number = NumberOf(kNegotiationNames, name);
  if (number == 0) return std::nullopt;
  return static_cast<Negotiation>(number);
}

std::optional<Role> ParseRole(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (EqualsIgnoreCase(kRoleNames[i], name)) {
      return static_cast<Role>(static_cast<int>(i));
    }
  }
  return std::nullopt;
}

}  // namespace xmppfed::v1

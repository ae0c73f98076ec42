// The product's spellings of the v1 enums (SPEC §2): "Federated",
// "PublicVerified", "PublicUnverified"; "Required", "Optional",
// "NotSupported". Parsing is case-insensitive; printing always uses these.
//
// Deliberately free of protobuf headers so that code which never talks to the
// agent (the CLI's front end) can use it without loading gRPC.
#ifndef XMPPFED_PROTO_XMPPFED_V1_SPELLING_H_
#define XMPPFED_PROTO_XMPPFED_V1_SPELLING_H_

#include <array>
#include <optional>
#include <string_view>

namespace xmppfed::v1 {

enum PartnerType : int;
enum Negotiation : int;
enum Role : int;

// Indexed by enum number - 1.
inline constexpr std::array<std::string_view, 3> kPartnerTypeNames = {
    "Federated", "PublicVerified", "PublicUnverified"};
inline constexpr std::array<std::string_view, 3> kNegotiationNames = {
    "Required", "Optional", "NotSupported"};
// Indexed by enum number (ROLE_NONE is 0 and has a name).
inline constexpr std::array<std::string_view, 4> kRoleNames = {
    "None", "Viewer", "Operator", "Administrator"};

// "" for UNSPECIFIED or an unknown number.
std::string_view PartnerTypeName(PartnerType type);
std::string_view NegotiationName(Negotiation negotiation);
std::string_view RoleName(Role role);

// nullopt for a name that is not one of the spellings above (any case).
std::optional<PartnerType> ParsePartnerType(std::string_view name);
std::optional<Negotiation> ParseNegotiation(std::string_view name);
std::optional<Role> ParseRole(std::string_view name);

}  // namespace xmppfed::v1

#endif  // XMPPFED_PROTO_XMPPFED_V1_SPELLING_H_

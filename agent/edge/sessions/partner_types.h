// What a partner's type lets through (SPEC §4), on the stanza level:
//   Federated         everything passes.
//   PublicVerified    presence and messages pass; the <status/> text of local
//                     users' presence is stripped before it leaves.
//   PublicUnverified  as PublicVerified, and a remote contact's messages and
//                     subscription requests reach a local user only after
//                     that user sent the contact a subscription request (an
//                     invitation, remembered durably by the store).
// The edge core applies these on the way out (StripForPartner, and
// IsSubscriptionRequest to record invitations) and on the way in
// (NeedsInvitation).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_PARTNER_TYPES_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_PARTNER_TYPES_H_

#include <strophe.h>

#include <string>

#include "agent/snapshot/partner_policy.h"

namespace xmppfed::edge {

// "User@Example.COM/res" -> "user@example.com" (ASCII lower-cased: the
// edge's domains are A-labels; local parts compare case-insensitively for
// the ASCII range). "" for a null or empty address.
std::string BareJid(const char* jid);

// <presence type='subscribe'/>.
bool IsSubscriptionRequest(xmpp_stanza_t* stanza);

// The presence to send instead of `stanza` to a partner that is not
// Federated when `stanza` has <status/> children: a copy without them (the
// caller releases it). nullptr when `stanza` may go as it is. (libstrophe
// cannot remove a child, hence the copy.)
xmpp_stanza_t* StripForPartner(xmpp_ctx_t* ctx,
                               const snapshot::PartnerPolicy& partner,
                               xmpp_stanza_t* stanza);

// True when `stanza`, arriving from `partner`, may reach its local
// recipient only if that recipient invited the sender: a message or a
// subscription request from a PublicUnverified partner. Errors (replies to
// what the local user sent) always pass.
bool NeedsInvitation(const snapshot::PartnerPolicy& partner,
                     xmpp_stanza_t* stanza);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_PARTNER_TYPES_H_

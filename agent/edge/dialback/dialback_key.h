// Server Dialback keys (XEP-0220), generated as XEP-0185 §2 recommends:
//
//   key = hex(HMAC-SHA256(hex(SHA256(secret)),
//                         receiving + " " + originating + " " + stream_id))
//
// with both hex encodings in lower case. The secret is the gateway's dialback
// passphrase, shared by every edge node of one store, so any node can verify
// a key another node sent.
#ifndef XMPPFED_AGENT_EDGE_DIALBACK_DIALBACK_KEY_H_
#define XMPPFED_AGENT_EDGE_DIALBACK_DIALBACK_KEY_H_

#include <string>
#include <string_view>

namespace xmppfed::edge::dialback {

// The 64 lower-case hex digits of the key the originating server sends in
// <db:result/> for a stream with id `stream_id` that `originating_server`
// opened to `receiving_server`.
std::string DialbackKey(std::string_view secret,
                        std::string_view receiving_server,
                        std::string_view originating_server,
                        std::string_view stream_id);

// True when `a` and `b` are the same bytes. The time taken depends only on
// the lengths, never on where the first difference is, so a key check leaks
// nothing about how much of a forged key was right. Keys are compared as
// sent: XEP-0185 keys are lower-case hex, so "ABC" does not equal "abc".
bool KeysEqual(std::string_view a, std::string_view b);

}  // namespace xmppfed::edge::dialback

#endif  // XMPPFED_AGENT_EDGE_DIALBACK_DIALBACK_KEY_H_

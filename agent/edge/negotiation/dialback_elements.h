// The elements of Server Dialback (XEP-0220 §2): <db:result/> and
// <db:verify/>, with the `db` prefix every stream of this edge declares.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ELEMENTS_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ELEMENTS_H_

#include <string>
#include <string_view>

namespace xmppfed::edge {

// <db:result from to [type]>key</db:result>; no type and no key are left
// out.
std::string DialbackResultXml(std::string_view from, std::string_view to,
                              std::string_view type, std::string_view key);
// <db:verify from to id [type]>key</db:verify>.
std::string DialbackVerifyXml(std::string_view from, std::string_view to,
                              std::string_view id, std::string_view type,
                              std::string_view key);
// <db:result from to type='error'><error type><condition/></error>
// </db:result> (XEP-0220 §2.4), `condition` a stanza error condition.
std::string DialbackResultErrorXml(std::string_view from, std::string_view to,
                                   std::string_view error_type,
                                   std::string_view condition);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_DIALBACK_ELEMENTS_H_

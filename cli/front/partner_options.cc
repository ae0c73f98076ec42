// The partner verbs' options, exactly the fields of SPEC §2.
#include <algorithm>
#include <string>
#include <vector>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"
#include "xmppfed/v1/limits.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::cli {
namespace {

using Strings = std::vector<std::string>;

// One value per occurrence, never swallowing the positional that follows;
// occurrences accumulate.
CLI::Option* AddListOption(CLI::App& verb, const std::string& name,
                           std::function<void(const Strings&)> store,
                           const std::string& help) {
  return verb.add_option_function<Strings>(name, std::move(store), help)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(Utf8Text())
      ->check(DomainListText())
      ->type_name("DOMAIN[,DOMAIN...]");
}

// An empty IDENTITY would read as "none given" (get-partner '' listing every
// partner): refused like any other identity no partner can have.
constexpr const char kEmptyIdentity[] =
    "an empty IDENTITY names no partner (get-partner without one lists them "
    "all)";

// IDENTITY positionals plus --identity (the alternative spelling), in order.
// With `from_stdin`, the IDENTITY "-" stands for the targets on stdin.
void AddIdentities(CLI::App& verb, Invocation& inv, const std::string& help,
                   bool from_stdin = false) {
  verb.add_option_function<Strings>(
          "identity",
          [&inv](const Strings& values) {
            inv.identities.insert(inv.identities.end(), values.begin(),
                                  values.end());
          },
          from_stdin ? help +
                           "; - reads them from stdin, one per line or "
                           "NDJSON objects"
                     : help)
      ->check(NonEmpty(kEmptyIdentity))
      ->check(Utf8Text())
      ->type_name(from_stdin ? "IDENTITY|-" : "IDENTITY");
  verb.add_option_function<std::string>(
          "--identity",
          [&inv](const std::string& value) { inv.identities.push_back(value); },
          "the same as the IDENTITY argument")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(NonEmpty(kEmptyIdentity))
      ->check(Utf8Text())
      ->type_name("IDENTITY");
}

// --filter GLOB of get-partner and remove-partner.
void AddFilter(CLI::App& verb, std::string& filter, const std::string& help) {
  verb.add_option("--filter", filter, help)
      ->check(NonEmpty("an empty GLOB matches nothing; use '*' for every "
                       "partner"))
      ->check(Utf8Text())
      ->type_name("GLOB");
}

void RequireOneIdentity(const Invocation& inv, const std::string& verb) {
  if (inv.identities.size() != 1) {
    throw CLI::ValidationError(
        verb, inv.identities.empty()
                  ? "needs the partner's IDENTITY (or --identity)"
                  : "takes exactly one IDENTITY");
  }
}

// "-" (the targets on stdin) must be the only IDENTITY, and the options of
// pipeline input need it.
void CheckStdinTargets(const Invocation& inv, const std::string& verb) {
  bool dash = std::find(inv.identities.begin(), inv.identities.end(),
                        kTargetsFromStdin) != inv.identities.end();
  if (dash && inv.identities.size() > 1) {
    throw CLI::ValidationError(
        verb, "- reads the targets from stdin; give no other IDENTITY");
  }
  const char* needs_dash = inv.pipeline.atomic       ? "--atomic"
                           : inv.pipeline.from_input ? "--from-input"
                                                     : nullptr;
  if (needs_dash != nullptr && !dash) {
    throw CLI::ValidationError(
        verb, std::string(needs_dash) +
                  " applies to targets read from stdin (IDENTITY -)");
  }
}

void AddAtomic(CLI::App& verb, Invocation& inv) {
  verb.add_flag("--atomic", inv.pipeline.atomic,
                "with -: change all targets or none (one transaction)");
}

// The writable fields of a partner, for new-partner and set-partner (with
// `list_edits`): set-partner keeps what is not given, so its help names no
// defaults.
void AddFieldOptions(CLI::App& verb, PartnerFieldOptions& fields,
                     bool list_edits) {
  auto with_default = [list_edits](std::string help, const std::string& value) {
    return list_edits ? help : help + " (default " + value + ")";
  };
  verb.add_option_function<std::string>(
          "--description",
          [&fields](const std::string& v) { fields.description = v; },
          "free text, at most 1024 characters")
      ->check(Utf8Text())
      ->type_name("TEXT");
  AddListOption(
      verb, "--additional-domains",
      [&fields](const Strings& v) {
        fields.additional_domains = SplitLists(v);
      },
      list_edits ? "replace the partner's other domains (\"\" clears them)"
                 : "the partner's other domains");
  if (list_edits) {
    AddListOption(
        verb, "--add-additional-domains",
        [&fields](const Strings& v) {
          fields.add_additional_domains = SplitLists(v);
        },
        "add domains to the partner's other domains");
    AddListOption(
        verb, "--remove-additional-domains",
        [&fields](const Strings& v) {
          fields.remove_additional_domains = SplitLists(v);
        },
        "remove domains from the partner's other domains");
  }
  verb.add_option_function<std::string>(
          "--partner-type",
          [&fields](const std::string& v) { fields.partner_type = v; },
          with_default("what may pass", "PublicUnverified"))
      ->transform(OneOf(v1::kPartnerTypeNames))
      ->type_name(Alternatives(v1::kPartnerTypeNames));
  verb.add_option_function<std::string>(
          "--tls-negotiation",
          [&fields](const std::string& v) { fields.tls_negotiation = v; },
          with_default("STARTTLS", "Required"))
      ->transform(OneOf(v1::kNegotiationNames))
      ->type_name(Alternatives(v1::kNegotiationNames));
  verb.add_option_function<std::string>(
          "--sasl-negotiation",
          [&fields](const std::string& v) { fields.sasl_negotiation = v; },
          with_default("SASL EXTERNAL", "Required"))
      ->transform(OneOf(v1::kNegotiationNames))
      ->type_name(Alternatives(v1::kNegotiationNames));
  verb.add_option_function<std::string>(
          "--support-dialback-negotiation",
          [&fields](const std::string& v) {
            fields.support_dialback_negotiation = ToBool(v);
          },
          with_default("Server Dialback", "true"))
      ->transform(TrueOrFalse())
      ->type_name("true|false");
  verb.add_option_function<std::string>(
          "--proxy-fqdn",
          [&fields](const std::string& v) { fields.proxy_fqdn = v; },
          "connect here instead of the DNS SRV lookup; tls://HOST[:PORT] for "
          "XEP-0368 direct TLS (\"\" clears it)")
      ->check(Utf8Text())
      ->type_name("[tls://]HOST[:PORT]");
  verb.add_option_function<std::string>(
          "--enable-keep-alive",
          [&fields](const std::string& v) {
            fields.enable_keep_alive = ToBool(v);
          },
          with_default("whitespace keep-alives on idle streams", "true"))
      ->transform(TrueOrFalse())
      ->type_name("true|false");
  verb.add_option_function<std::string>(
          "--connection-limit",
          [&fields](const std::string& v) {
            fields.connection_limit = ToUint32(v);
          },
          "streams at once, 0 to " +
              std::to_string(v1::kMaxPartnerConnectionLimit) +
              "; 0 = the gateway's partnerConnectionLimit")
      ->transform(Uint32Value(v1::kMaxPartnerConnectionLimit))
      ->type_name("N");
}

}  // namespace

void AddPartnerVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* create =
      app.add_subcommand("new-partner", "Create a partner and print it.");
  AddIdentities(*create, inv, "the partner's primary domain");
  AddFieldOptions(*create, inv.partner, /*list_edits=*/false);
  create->callback([&inv] { RequireOneIdentity(inv, "new-partner"); });
  SetExamples(*create,
              {"xmppfed new-partner fabrikam.com --partner-type Federated "
               "--sasl-negotiation Optional",
               "xmppfed new-partner contoso.com --additional-domains "
               "contoso.net,contoso.org --what-if"});

  CLI::App* set = app.add_subcommand(
      "set-partner", "Change only the given fields of a partner.");
  AddIdentities(*set, inv, "the partner's primary domain",
                /*from_stdin=*/true);
  AddFieldOptions(*set, inv.partner, /*list_edits=*/true);
  set->add_flag("--pass-thru", inv.pass_thru, "print the partner afterwards");
  set->add_flag("--from-input", inv.pipeline.from_input,
                "with -: apply the fields each NDJSON target carries too "
                "(the options given win)");
  AddAtomic(*set, inv);
  SetExamples(*set,
              {"xmppfed set-partner fabrikam.com --tls-negotiation Required "
               "--pass-thru",
               "xmppfed set-partner fabrikam.com --add-additional-domains "
               "fabrikam.net --what-if"});
  set->callback([&inv] {
    RequireOneIdentity(inv, "set-partner");
    CheckStdinTargets(inv, "set-partner");
    if (inv.partner.Empty() && !inv.pipeline.from_input) {
      throw CLI::ValidationError(
          "set-partner",
          "nothing to change: give at least one field option "
          "(see 'xmppfed set-partner --help')");
    }
  });

  CLI::App* get = app.add_subcommand(
      "get-partner", "List partners: all, one, or those matching a glob.");
  AddIdentities(*get, inv, "only this partner", /*from_stdin=*/true);
  AddFilter(*get, inv.filter,
            "only identities matching this glob (*, ?, [a-z])");
  SetExamples(
      *get, {"xmppfed get-partner", "xmppfed get-partner fabrikam.com -o json",
             "xmppfed get-partner --filter '*.test' -o wide"});
  get->callback([&inv] {
    CheckStdinTargets(inv, "get-partner");
    if (inv.identities.size() > 1) {
      throw CLI::ValidationError("get-partner",
                                 "takes at most one IDENTITY; use --filter "
                                 "for several");
    }
    if (!inv.identities.empty() && !inv.filter.empty()) {
      throw CLI::ValidationError("get-partner",
                                 "give an IDENTITY or --filter, not both");
    }
  });

  CLI::App* remove = app.add_subcommand(
      "remove-partner",
      "Delete partners (asks for confirmation on a terminal unless --force).");
  AddIdentities(*remove, inv, "the partners to delete", /*from_stdin=*/true);
  AddFilter(*remove, inv.filter,
            "delete the partners whose identity matches this glob");
  AddAtomic(*remove, inv);
  SetExamples(*remove, {"xmppfed remove-partner fabrikam.com",
                        "xmppfed remove-partner --filter '*.test' --force"});
  remove->callback([&inv] {
    CheckStdinTargets(inv, "remove-partner");
    if (inv.identities.empty() == inv.filter.empty()) {
      throw CLI::ValidationError(
          "remove-partner",
          "give the IDENTITY of each partner to delete, or "
          "--filter GLOB (one of the two)");
    }
  });

  CLI::App* test = app.add_subcommand(
      "test-partner",
      "Check federation with a partner live, step by step: DNS, connect, "
      "stream, STARTTLS, authentication, ping.");
  AddIdentities(*test, inv,
                "the partner's identity, or one of its additional domains",
                /*from_stdin=*/true);
  test->add_option_function<std::string>(
          "--timeout",
          [&inv](const std::string& v) {
            inv.test_timeout_seconds = ToUint32(v);
          },
          "give up after this many seconds, 1 to 300 (default 20)")
      ->transform(Uint32Value(1, 300))
      ->type_name("SECONDS");
  SetExamples(*test, {"xmppfed test-partner fabrikam.com",
                      "xmppfed test-partner fabrikam.com -o json | jq -r "
                      "'.[] | select(.result==\"Failed\") | .diagnosis'"});
  test->callback([&inv] { RequireOneIdentity(inv, "test-partner"); });
}

}  // namespace xmppfed::cli

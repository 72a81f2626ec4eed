#include "loopkit/visit.h"

#include "loopkit/bot.h"
#include "loopkit/text.h"
#include "url_parse.h"
#include "visit_parts.h"

namespace loopkit {

namespace {

// Empties every field and keeps the strings' capacity.
void reset(visit_report& v) {
  campaign& c = v.campaign;
  for (std::string* s : {&c.source, &c.medium, &c.name, &c.term, &c.content,
                         &c.id, &c.click_id, &c.click_id_type,
                         &c.discount_code, &v.referrer.source,
                         &v.referrer.term, &v.referrer.host, &v.source.source,
                         &v.source.medium, &v.channel}) {
    s->clear();
  }
  v.referrer.medium = referrer_medium::direct;
  v.source.origin = source_origin::direct;
  v.bot = false;
}

// Classifies into v, which a fresh report need not reset: its fields are
// empty already.
std::optional<url_error> inspect_into(std::string_view page_url,
                                      std::string_view referrer_url,
                                      std::string_view user_agent,
                                      visit_report& v, bool fresh,
                                      const referrer_database& referrers,
                                      const channel_rules& channels) {
  url storage;  // holds the parts only when the page URL needs rewriting
  const auto page = detail::parse_url_parts(page_url, storage);
  if (!page) return page.error();
  if (!fresh) reset(v);

  // Each step writes into the report where it lies, so each string gets its
  // text once and none is moved.
  detail::extract_campaign(page->query, page->fragment,
                           default_campaign_options(), v.campaign);
  detail::classify_referrer(referrer_url, page->host, referrers, {},
                            v.referrer);
  detail::derive_source(v.campaign, v.referrer, v.source);
  const std::string_view channel = find_channel(
      make_channel_input(v.campaign, v.referrer, v.source), channels);
  set_text(v.channel, channel);
  v.bot = !user_agent.empty() && is_bot(user_agent);
  return std::nullopt;
}

}  // namespace

std::optional<url_error> inspect_visit(std::string_view page_url,
                                       std::string_view referrer_url,
                                       std::string_view user_agent,
                                       visit_report& out,
                                       const referrer_database& referrers,
                                       const channel_rules& channels) {
  return inspect_into(page_url, referrer_url, user_agent, out, false,
                      referrers, channels);
}

result<visit_report, url_error> inspect_visit(
    std::string_view page_url, std::string_view referrer_url,
    std::string_view user_agent, const referrer_database& referrers,
    const channel_rules& channels) {
  result<visit_report, url_error> out(std::in_place);
  if (const auto error = inspect_into(page_url, referrer_url, user_agent,
                                      *out, true, referrers, channels)) {
    return fail(*error);
  }
  return out;
}

nlohmann::json to_json(const visit_report& v) {
  const campaign& c = v.campaign;
  return nlohmann::json{{"campaign",
                         {{"source", c.source},
                          {"medium", c.medium},
                          {"campaign", c.name},
                          {"term", c.term},
                          {"content", c.content},
                          {"id", c.id},
                          {"click_id", c.click_id},
                          {"click_id_type", c.click_id_type},
                          {"discount_code", c.discount_code}}},
                        {"referrer",
                         {{"medium", to_string(v.referrer.medium)},
                          {"source", v.referrer.source},
                          {"term", v.referrer.term},
                          {"host", v.referrer.host}}},
                        {"source", v.source.source},
                        {"medium", v.source.medium},
                        {"channel", v.channel},
                        {"bot", v.bot}};
}

}  // namespace loopkit

#include "loopkit/visit.h"

#include "loopkit/bot.h"
#include "url_parse.h"
#include "visit_parts.h"

namespace loopkit {

result<visit_report, url_error> inspect_visit(
    std::string_view page_url, std::string_view referrer_url,
    std::string_view user_agent, const referrer_database& referrers,
    const channel_rules& channels) {
  url storage;  // holds the parts only when the page URL needs rewriting
  const auto page = detail::parse_url_parts(page_url, storage);
  if (!page) return fail(page.error());

  // Each step writes into the report where it lies, so each string gets its
  // text once and none is moved.
  result<visit_report, url_error> out(std::in_place);
  visit_report& v = *out;
  detail::extract_campaign(page->query, page->fragment,
                           default_campaign_options(), v.campaign);
  detail::classify_referrer(referrer_url, page->host, referrers, {},
                            v.referrer);
  detail::derive_source(v.campaign, v.referrer, v.source);
  const std::string_view channel = find_channel(
      make_channel_input(v.campaign, v.referrer, v.source), channels);
  v.channel.assign(channel.data(), channel.size());
  v.bot = !user_agent.empty() && is_bot(user_agent);
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

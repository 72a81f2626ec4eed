#include "loopkit/visit.h"

#include "loopkit/bot.h"

namespace loopkit {

result<visit_report, url_error> inspect_visit(
    std::string_view page_url, std::string_view referrer_url,
    std::string_view user_agent, const referrer_database& referrers,
    const channel_rules& channels) {
  const auto page = parse_url(page_url);
  if (!page) return fail(page.error());

  visit_report v;
  v.campaign = extract_campaign(*page);
  v.referrer = classify_referrer(referrer_url, page->host, referrers);
  v.source = derive_source(v.campaign, v.referrer);
  v.channel = std::string(find_channel(
      make_channel_input(v.campaign, v.referrer, v.source), channels));
  v.bot = !user_agent.empty() && is_bot(user_agent);
  return v;
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

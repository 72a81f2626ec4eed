#include "loopkit/touches.h"

namespace loopkit {

using nlohmann::json;

bool operator==(const touch_summary& a, const touch_summary& b) {
  return a.source == b.source && a.medium == b.medium &&
         a.campaign == b.campaign && a.channel == b.channel &&
         a.referrer == b.referrer && a.click_id == b.click_id &&
         a.click_id_type == b.click_id_type &&
         a.landing_page == b.landing_page && a.time == b.time;
}

bool is_direct(const touch_info& t) {
  return t.campaign.empty() && (t.referrer.medium == referrer_medium::direct ||
                                t.referrer.medium == referrer_medium::internal);
}

touch_summary summarize(const touch_info& t) {
  touch_summary s;
  s.source = t.source;
  s.medium = t.medium;
  s.campaign = t.campaign.name;
  s.channel = t.channel;
  s.referrer = t.referrer.medium;
  s.click_id = t.campaign.click_id;
  s.click_id_type = t.campaign.click_id_type;
  s.landing_page = t.landing_page;
  s.time = t.time;
  return s;
}

json to_json(const touch_summary& t) {
  return json{{"source", t.source},
              {"medium", t.medium},
              {"campaign", t.campaign},
              {"channel", t.channel},
              {"referrer_medium", to_string(t.referrer)},
              {"click_id", t.click_id},
              {"click_id_type", t.click_id_type},
              {"landing_page", t.landing_page},
              {"time", t.time}};
}

result<touch_summary, json_error> decode_touch_summary(const json& j,
                                                       std::string_view path) {
  const std::string at(path);
  if (!j.is_object()) return fail(json_error{at, "must be an object"});

  touch_summary t;
  std::string medium;
  const std::pair<const char*, std::string*> texts[] = {
      {"source", &t.source},
      {"medium", &t.medium},
      {"campaign", &t.campaign},
      {"channel", &t.channel},
      {"referrer_medium", &medium},
      {"click_id", &t.click_id},
      {"click_id_type", &t.click_id_type},
      {"landing_page", &t.landing_page}};
  for (const auto& item : j.items()) {
    bool known = item.key() == "time";
    for (const auto& text : texts) known = known || item.key() == text.first;
    if (!known) return fail(json_error{at + "/" + item.key(), "unknown field"});
  }
  for (const auto& [key, out] : texts) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      return fail(json_error{at + "/" + key, "must be a string"});
    }
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max_text_length) {
      return fail(json_error{at + "/" + key, "too long"});
    }
    *out = s;
  }
  const auto m = parse_referrer_medium(medium);
  if (!m) {
    return fail(json_error{at + "/referrer_medium",
                           "unknown referrer medium \"" + medium + "\""});
  }
  t.referrer = *m;
  const auto time = j.find("time");
  if (time == j.end() || !time->is_number_integer()) {
    return fail(json_error{at + "/time", "must be an integer"});
  }
  t.time = time->get<std::int64_t>();
  return t;
}

}  // namespace loopkit

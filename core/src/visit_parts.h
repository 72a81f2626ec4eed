// The steps of inspect_visit (visit.h) on a page URL parsed into views, each
// writing straight into its part of a visit_report: the report's strings
// then get their text once, with no temporary to move from.
#pragma once

#include <string_view>

#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/referrer.h"

namespace loopkit::detail {

// extract_campaign for a URL with this query and fragment, both without
// their leading '?' and '#'. out must be empty.
void extract_campaign(std::string_view query, std::string_view fragment,
                      const campaign_options& options, campaign& out);

// classify_referrer into out, which must be empty.
void classify_referrer(std::string_view referrer_url,
                       std::string_view page_host,
                       const referrer_database& db,
                       const referrer_options& options, referrer_info& out);

// derive_source into out, which must be empty.
void derive_source(const campaign& c, const referrer_info& r,
                   visit_source& out);

}  // namespace loopkit::detail

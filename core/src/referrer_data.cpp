// Our built-in referrer list, written for loopkit in the referer-parser JSON
// shape so one loader reads it and any database a site adds. Hosts match
// their subdomains too ("google.com" covers "www.google.com"); an entry with
// a path ("google.com/imgres") wins over its bare host.
#include "referrer_data.h"

namespace loopkit::detail {

const char* const default_referrers_json = R"json({
"search": {
  "Google": {"parameters": ["q", "query"], "domains": [
    "google.com", "google.co.uk", "google.de", "google.fr", "google.es",
    "google.it", "google.nl", "google.be", "google.ch", "google.at",
    "google.se", "google.no", "google.dk", "google.fi", "google.pl",
    "google.pt", "google.ie", "google.cz", "google.gr", "google.ro",
    "google.hu", "google.ru", "google.com.tr", "google.ca", "google.com.mx",
    "google.com.br", "google.com.ar", "google.cl", "google.com.co",
    "google.com.au", "google.co.nz", "google.co.in", "google.co.jp",
    "google.co.kr", "google.com.sg", "google.com.hk", "google.com.tw",
    "google.co.id", "google.com.ph", "google.com.vn", "google.co.th",
    "google.com.my", "google.co.za", "google.com.eg", "google.com.sa",
    "google.ae", "google.co.il", "google.com.pk", "google.com.ng",
    "google.com.ua", "com.google.android.googlequicksearchbox"]},
  "Google Images": {"parameters": ["q"], "domains": [
    "images.google.com", "google.com/imgres"]},
  "Bing": {"parameters": ["q", "Q"], "domains": [
    "bing.com", "cn.bing.com"]},
  "Yahoo!": {"parameters": ["p", "q"], "domains": [
    "search.yahoo.com", "yahoo.com"]},
  "DuckDuckGo": {"parameters": ["q"], "domains": [
    "duckduckgo.com", "html.duckduckgo.com", "lite.duckduckgo.com"]},
  "Baidu": {"parameters": ["wd", "word", "kw"], "domains": [
    "baidu.com", "m.baidu.com"]},
  "Yandex": {"parameters": ["text"], "domains": [
    "yandex.ru", "yandex.com", "yandex.com.tr", "yandex.by", "yandex.kz",
    "ya.ru"]},
  "Ecosia": {"parameters": ["q"], "domains": ["ecosia.org"]},
  "Qwant": {"parameters": ["q"], "domains": ["qwant.com"]},
  "Brave": {"parameters": ["q"], "domains": ["search.brave.com"]},
  "Startpage": {"parameters": ["query", "q"], "domains": ["startpage.com"]},
  "Naver": {"parameters": ["query"], "domains": ["search.naver.com"]},
  "Seznam": {"parameters": ["q"], "domains": ["search.seznam.cz"]},
  "Ask": {"parameters": ["q"], "domains": ["ask.com"]},
  "AOL": {"parameters": ["q", "query"], "domains": ["search.aol.com"]},
  "Sogou": {"parameters": ["query"], "domains": ["sogou.com"]},
  "360": {"parameters": ["q"], "domains": ["so.com"]},
  "Yahoo! Japan": {"parameters": ["p"], "domains": ["search.yahoo.co.jp"]},
  "Kagi": {"parameters": ["q"], "domains": ["kagi.com"]},
  "Mojeek": {"parameters": ["q"], "domains": ["mojeek.com"]}
},
"social": {
  "Facebook": {"domains": [
    "facebook.com", "fb.com", "fb.me", "com.facebook.katana"]},
  "Instagram": {"domains": ["instagram.com", "com.instagram.android"]},
  "LinkedIn": {"domains": ["linkedin.com", "lnkd.in", "com.linkedin.android"]},
  "Twitter": {"domains": ["twitter.com", "t.co", "x.com",
    "com.twitter.android"]},
  "Reddit": {"domains": ["reddit.com", "redd.it", "com.reddit.frontpage"]},
  "Pinterest": {"domains": ["pinterest.com", "pinterest.co.uk",
    "pinterest.de", "pinterest.fr", "pin.it"]},
  "YouTube": {"domains": ["youtube.com", "youtu.be",
    "com.google.android.youtube"]},
  "TikTok": {"domains": ["tiktok.com"]},
  "Threads": {"domains": ["threads.net", "threads.com"]},
  "Bluesky": {"domains": ["bsky.app"]},
  "Mastodon": {"domains": ["mastodon.social", "mastodon.online"]},
  "Quora": {"domains": ["quora.com"]},
  "Tumblr": {"domains": ["tumblr.com"]},
  "VKontakte": {"domains": ["vk.com"]},
  "XING": {"domains": ["xing.com"]},
  "WhatsApp": {"domains": ["whatsapp.com", "wa.me"]},
  "Telegram": {"domains": ["t.me", "web.telegram.org"]},
  "Discord": {"domains": ["discord.com", "discord.gg"]},
  "Snapchat": {"domains": ["snapchat.com"]},
  "Hacker News": {"domains": ["news.ycombinator.com"]},
  "Product Hunt": {"domains": ["producthunt.com"]},
  "Slack": {"domains": ["slack.com", "com.slack"]},
  "Weibo": {"domains": ["weibo.com"]}
},
"email": {
  "Gmail": {"domains": ["mail.google.com", "com.google.android.gm"]},
  "Outlook.com": {"domains": ["outlook.live.com", "outlook.office.com",
    "outlook.office365.com", "mail.live.com", "com.microsoft.office.outlook"]},
  "Yahoo! Mail": {"domains": ["mail.yahoo.com", "mail.yahoo.co.jp",
    "mail.yahoo.co.uk", "mail.yahoo.fr", "mail.yahoo.de"]},
  "AOL Mail": {"domains": ["mail.aol.com"]},
  "Proton Mail": {"domains": ["mail.proton.me", "mail.protonmail.com"]},
  "iCloud Mail": {"domains": ["icloud.com/mail"]},
  "Zoho Mail": {"domains": ["mail.zoho.com", "mail.zoho.eu"]},
  "Fastmail": {"domains": ["fastmail.com", "app.fastmail.com"]},
  "GMX": {"domains": ["gmx.net", "gmx.de", "gmx.com", "navigator.gmx.net"]},
  "Web.de": {"domains": ["web.de", "navigator.web.de"]},
  "Mail.ru": {"domains": ["e.mail.ru", "mail.ru"]},
  "Yandex Mail": {"domains": ["mail.yandex.ru", "mail.yandex.com"]},
  "Orange Webmail": {"domains": ["orange.fr/webmail", "mail01.orange.fr"]},
  "Mailchimp": {"domains": ["mailchi.mp", "list-manage.com"]},
  "Superhuman": {"domains": ["mail.superhuman.com"]}
},
"chatbot": {
  "ChatGPT": {"domains": ["chatgpt.com", "chat.openai.com"]},
  "Perplexity": {"domains": ["perplexity.ai"]},
  "Gemini": {"domains": ["gemini.google.com"]},
  "Claude": {"domains": ["claude.ai"]},
  "Copilot": {"domains": ["copilot.microsoft.com"]},
  "DeepSeek": {"domains": ["chat.deepseek.com"]},
  "Mistral Le Chat": {"domains": ["chat.mistral.ai"]}
},
"paid": {
  "Google Ads": {"domains": ["googleadservices.com", "doubleclick.net",
    "googlesyndication.com"]},
  "Microsoft Advertising": {"domains": ["bat.bing.com"]},
  "Taboola": {"domains": ["taboola.com"]},
  "Outbrain": {"domains": ["outbrain.com"]},
  "Criteo": {"domains": ["criteo.com"]}
}
})json";

}  // namespace loopkit::detail

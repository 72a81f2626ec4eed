// Our built-in referrer list. Hosts match their subdomains too
// ("google.com" covers "www.google.com"); an entry with a path
// ("google.com/imgres") wins over its bare host.
//
// Compiled in rather than read from JSON text: the page builds this
// database before its first page view, and parsing the text there was
// about half of the time a tracker took to start in the browser. Its
// referer-parser JSON form, the one sites write, loads to the same database
// (tests/unit/built_in_data_test.cpp).
#include "referrer_data.h"

namespace loopkit::detail {

namespace {

constexpr auto search = referrer_medium::search;
constexpr auto social = referrer_medium::social;
constexpr auto email = referrer_medium::email;
constexpr auto chatbot = referrer_medium::chatbot;
constexpr auto paid = referrer_medium::paid;

}  // namespace

const default_referrer default_referrers[] = {
    {search, "Google", "q query",
     "google.com google.co.uk google.de google.fr google.es google.it "
     "google.nl google.be google.ch google.at google.se google.no google.dk "
     "google.fi google.pl google.pt google.ie google.cz google.gr google.ro "
     "google.hu google.ru google.com.tr google.ca google.com.mx "
     "google.com.br google.com.ar google.cl google.com.co google.com.au "
     "google.co.nz google.co.in google.co.jp google.co.kr google.com.sg "
     "google.com.hk google.com.tw google.co.id google.com.ph google.com.vn "
     "google.co.th google.com.my google.co.za google.com.eg google.com.sa "
     "google.ae google.co.il google.com.pk google.com.ng google.com.ua "
     "google.sk google.bg google.hr google.si google.lt google.lv google.ee "
     "google.lu google.rs google.com.pe google.co.ve google.kz google.by "
     "com.google.android.googlequicksearchbox"},
    {search, "Google Images", "q",
     "images.google.com google.com/imgres google.co.uk/imgres "
     "google.de/imgres google.fr/imgres google.es/imgres google.it/imgres "
     "google.nl/imgres google.ca/imgres google.com.au/imgres "
     "google.com.br/imgres google.co.in/imgres google.co.jp/imgres "
     "google.pl/imgres google.ru/imgres"},
    {search, "Bing", "q Q", "bing.com cn.bing.com"},
    {search, "Bing Images", "q", "bing.com/images"},
    {search, "Yahoo!", "p q", "search.yahoo.com yahoo.com"},
    {search, "Yahoo! Images", "p", "images.search.yahoo.com"},
    {search, "DuckDuckGo", "q",
     "duckduckgo.com html.duckduckgo.com lite.duckduckgo.com"},
    {search, "Baidu", "wd word kw", "baidu.com m.baidu.com"},
    {search, "Yandex", "text",
     "yandex.ru yandex.com yandex.com.tr yandex.by yandex.kz ya.ru"},
    {search, "Yandex Images", "text",
     "images.yandex.ru images.yandex.com yandex.ru/images yandex.com/images"},
    {search, "Mail.ru", "q", "go.mail.ru"},
    {search, "Ecosia", "q", "ecosia.org"},
    {search, "Qwant", "q", "qwant.com"},
    {search, "Brave", "q", "search.brave.com"},
    {search, "Startpage", "query q", "startpage.com ixquick.com"},
    {search, "Naver", "query", "search.naver.com"},
    {search, "Seznam", "q", "search.seznam.cz"},
    {search, "Ask", "q searchfor", "ask.com"},
    {search, "AOL", "q query",
     "search.aol.com search.aol.co.uk aolsearch.com aolsearch.aol.co.uk"},
    {search, "Sogou", "query", "sogou.com"},
    {search, "360", "q", "so.com"},
    {search, "Yahoo! Japan", "p", "search.yahoo.co.jp"},
    {search, "Kagi", "q", "kagi.com"},
    {search, "Mojeek", "q", "mojeek.com"},
    {search, "Daum", "q", "search.daum.net"},
    {search, "Coc Coc", "query", "coccoc.com"},
    {search, "Petal Search", "query", "petalsearch.com"},
    {search, "Voila", "kw rdata", "search.voila.fr"},
    {search, "Babylon", "q", "search.babylon.com searchassist.babylon.com"},
    {search, "Meta.ua", "q", "meta.ua"},
    {search, "Web.de Search", "q su", "suche.web.de"},
    {search, "GMX Search", "q su", "suche.gmx.net"},

    {social, "Facebook", "",
     "facebook.com fb.com fb.me fb.watch com.facebook.katana"},
    {social, "Messenger", "", "messenger.com com.facebook.orca"},
    {social, "Workplace", "", "workplace.com"},
    {social, "Instagram", "", "instagram.com com.instagram.android"},
    {social, "LinkedIn", "", "linkedin.com lnkd.in com.linkedin.android"},
    {social, "Twitter", "", "twitter.com t.co x.com com.twitter.android"},
    {social, "Reddit", "", "reddit.com redd.it com.reddit.frontpage"},
    {social, "Pinterest", "",
     "pinterest.com pinterest.co.uk pinterest.de pinterest.fr pinterest.es "
     "pinterest.it pinterest.ca pinterest.com.au pinterest.jp pin.it "
     "com.pinterest"},
    {social, "YouTube", "", "youtube.com youtu.be com.google.android.youtube"},
    {social, "TikTok", "", "tiktok.com com.zhiliaoapp.musically"},
    {social, "Threads", "", "threads.net threads.com"},
    {social, "Bluesky", "", "bsky.app"},
    {social, "Mastodon", "", "mastodon.social mastodon.online"},
    {social, "Quora", "", "quora.com"},
    {social, "Tumblr", "", "tumblr.com"},
    {social, "VKontakte", "", "vk.com vk.ru"},
    {social, "Odnoklassniki", "", "ok.ru odnoklassniki.ru"},
    {social, "XING", "", "xing.com"},
    {social, "WhatsApp", "", "whatsapp.com wa.me com.whatsapp"},
    {social, "Telegram", "", "t.me web.telegram.org org.telegram.messenger"},
    {social, "Discord", "", "discord.com discord.gg com.discord"},
    {social, "Snapchat", "", "snapchat.com com.snapchat.android"},
    {social, "LINE", "", "line.me jp.naver.line.android"},
    {social, "Medium", "", "medium.com"},
    {social, "Nextdoor", "", "nextdoor.com"},
    {social, "Linktree", "", "linktr.ee"},
    {social, "Lnk.Bio", "", "lnk.bio"},
    {social, "Hacker News", "", "news.ycombinator.com"},
    {social, "Product Hunt", "", "producthunt.com"},
    {social, "Slack", "", "slack.com app.slack.com com.slack"},
    {social, "Weibo", "", "weibo.com"},

    {email, "Gmail", "", "mail.google.com com.google.android.gm"},
    {email, "Outlook.com", "",
     "outlook.live.com outlook.office.com outlook.office365.com "
     "mail.live.com com.microsoft.office.outlook"},
    {email, "Yahoo! Mail", "",
     "mail.yahoo.com mail.yahoo.co.jp mail.yahoo.co.uk mail.yahoo.fr "
     "mail.yahoo.de"},
    {email, "AOL Mail", "", "mail.aol.com"},
    {email, "Proton Mail", "", "mail.proton.me mail.protonmail.com"},
    {email, "iCloud Mail", "", "icloud.com/mail"},
    {email, "Zoho Mail", "", "mail.zoho.com mail.zoho.eu"},
    {email, "Fastmail", "", "fastmail.com app.fastmail.com"},
    {email, "GMX", "",
     "gmx.net gmx.de gmx.at gmx.ch gmx.fr gmx.es gmx.it gmx.co.uk gmx.com "
     "navigator.gmx.net deref-gmx.net deref-gmx.de deref-gmx.at deref-gmx.ch "
     "deref-gmx.fr deref-gmx.es deref-gmx.it deref-gmx.co.uk deref-gmx.com"},
    {email, "Web.de", "",
     "web.de navigator.web.de deref-web.de deref-web-02.de"},
    {email, "Mail.com", "", "mail.com deref-mail.com"},
    {email, "1&1 IONOS", "",
     "deref-1und1.de deref-1und1-02.de email.ionos.de email.ionos.com "
     "email.ionos.co.uk email.ionos.fr email.ionos.es email.ionos.it "
     "email.ionos.ca email.ionos.mx mailbusiness.ionos.de "
     "mailbusiness.ionos.com mailbusiness.ionos.co.uk mailbusiness.ionos.fr "
     "mailbusiness.ionos.es mailbusiness.ionos.it mailbusiness.ionos.ca "
     "mailbusiness.ionos.mx"},
    {email, "T-Online", "", "email.t-online.de"},
    {email, "Vodafone Mail", "", "mail.vodafone.de"},
    {email, "Bluewin", "", "email.bluewin.ch"},
    {email, "Infomaniak", "", "mail.infomaniak.com"},
    {email, "Libero Mail", "", "mail.libero.it"},
    {email, "Seznam Email", "", "email.seznam.cz"},
    {email, "Naver Mail", "", "mail.naver.com"},
    {email, "QQ Mail", "", "mail.qq.com"},
    {email, "NetEase Mail", "", "mail.163.com mail.126.com"},
    {email, "Tuta", "", "app.tuta.com mail.tutanota.com"},
    {email, "HEY", "", "app.hey.com"},
    {email, "Mail.ru", "", "e.mail.ru mail.ru"},
    {email, "Yandex Mail", "", "mail.yandex.ru mail.yandex.com"},
    {email, "Orange Webmail", "",
     "orange.fr/webmail mail01.orange.fr mail02.orange.fr "
     "messagerie.orange.fr wmail.orange.fr"},
    {email, "Mailchimp", "", "mailchi.mp list-manage.com"},
    {email, "Superhuman", "", "mail.superhuman.com"},

    {chatbot, "ChatGPT", "", "chatgpt.com chat.openai.com com.openai.chatgpt"},
    {chatbot, "Perplexity", "", "perplexity.ai ai.perplexity.app.android"},
    {chatbot, "Gemini", "", "gemini.google.com bard.google.com"},
    {chatbot, "Claude", "", "claude.ai com.anthropic.claude"},
    {chatbot, "Copilot", "", "copilot.microsoft.com"},
    {chatbot, "DeepSeek", "", "chat.deepseek.com"},
    {chatbot, "Mistral Le Chat", "", "chat.mistral.ai"},
    {chatbot, "Grok", "", "grok.com x.com/i/grok"},
    {chatbot, "Meta AI", "", "meta.ai"},
    {chatbot, "Character.AI", "", "character.ai"},
    {chatbot, "Poe", "", "poe.com"},
    {chatbot, "You.com", "", "you.com"},
    {chatbot, "Phind", "", "phind.com"},
    {chatbot, "HuggingChat", "", "huggingface.co/chat"},
    {chatbot, "Kimi", "", "kimi.com kimi.moonshot.cn"},
    {chatbot, "Qwen Chat", "", "chat.qwen.ai"},

    {paid, "Google Ads", "",
     "googleadservices.com doubleclick.net googlesyndication.com "
     "adsensecustomsearchads.com syndicatedsearch.goog"},
    {paid, "Microsoft Advertising", "", "bat.bing.com"},
    {paid, "Taboola", "", "taboola.com"},
    {paid, "Outbrain", "", "outbrain.com"},
    {paid, "Criteo", "", "criteo.com"},
    {paid, "Amazon Ads", "", "amazon-adsystem.com"},
    {paid, "Xandr", "", "adnxs.com"},
    {paid, "Adform", "", "adform.net"},
};

const std::size_t default_referrer_count =
    sizeof(default_referrers) / sizeof(default_referrers[0]);

}  // namespace loopkit::detail

//! The service catalog: a hand-written realistic one, or a generated one of any size.

use crate::money::Money;

/// Perfect Panel order types, with the internal numbers panels use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderType {
    Default,
    Seo,
    CustomComments,
    MentionsWithHashtags,
    MentionsCustomList,
    MentionsHashtag,
    MentionsUserFollowers,
    MentionsMediaLikers,
    Mentions,
    Package,
    CustomCommentsPackage,
    CommentLikes,
    Poll,
    InvitesFromGroups,
    Subscriptions,
    WebTraffic,
    CommentReplies,
}

impl OrderType {
    pub const ALL: [OrderType; 17] = [
        OrderType::Default,
        OrderType::Seo,
        OrderType::CustomComments,
        OrderType::MentionsWithHashtags,
        OrderType::MentionsCustomList,
        OrderType::MentionsHashtag,
        OrderType::MentionsUserFollowers,
        OrderType::MentionsMediaLikers,
        OrderType::Mentions,
        OrderType::Package,
        OrderType::CustomCommentsPackage,
        OrderType::CommentLikes,
        OrderType::Poll,
        OrderType::InvitesFromGroups,
        OrderType::Subscriptions,
        OrderType::WebTraffic,
        OrderType::CommentReplies,
    ];

    /// The name Perfect Panel prints in `services`.
    pub fn name(self) -> &'static str {
        match self {
            OrderType::Default => "Default",
            OrderType::Seo => "SEO",
            OrderType::CustomComments => "Custom Comments",
            OrderType::MentionsWithHashtags => "Mentions with Hashtags",
            OrderType::MentionsCustomList => "Mentions Custom List",
            OrderType::MentionsHashtag => "Mentions Hashtag",
            OrderType::MentionsUserFollowers => "Mentions User Followers",
            OrderType::MentionsMediaLikers => "Mentions Media Likers",
            OrderType::Mentions => "Mentions",
            OrderType::Package => "Package",
            OrderType::CustomCommentsPackage => "Custom Comments Package",
            OrderType::CommentLikes => "Comment Likes",
            OrderType::Poll => "Poll",
            OrderType::InvitesFromGroups => "Invites from Groups",
            OrderType::Subscriptions => "Subscriptions",
            OrderType::WebTraffic => "Web Traffic",
            OrderType::CommentReplies => "Comment Replies",
        }
    }

    /// The SmartPanel family's lower snake-case spelling.
    pub fn snake_name(self) -> &'static str {
        match self {
            OrderType::Default => "default",
            OrderType::Seo => "seo",
            OrderType::CustomComments => "custom_comments",
            OrderType::MentionsWithHashtags => "mentions_with_hashtags",
            OrderType::MentionsCustomList => "mentions_custom_list",
            OrderType::MentionsHashtag => "mentions_hashtag",
            OrderType::MentionsUserFollowers => "mentions_user_followers",
            OrderType::MentionsMediaLikers => "mentions_media_likers",
            OrderType::Mentions => "mentions",
            OrderType::Package => "package",
            OrderType::CustomCommentsPackage => "custom_comments_package",
            OrderType::CommentLikes => "comment_likes",
            OrderType::Poll => "poll",
            OrderType::InvitesFromGroups => "invites_from_groups",
            OrderType::Subscriptions => "subscriptions",
            OrderType::WebTraffic => "web_traffic",
            OrderType::CommentReplies => "comment_replies",
        }
    }

    /// A package is priced per order, not per 1000.
    pub fn is_package(self) -> bool {
        matches!(self, OrderType::Package | OrderType::CustomCommentsPackage)
    }
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: u64,
    pub name: String,
    pub kind: OrderType,
    pub category: String,
    /// Rate text exactly as the panel prints it (`"0.90"`, `"1.2345"`).
    pub rate_text: String,
    pub rate: Money,
    pub min: u64,
    pub max: u64,
    pub refill: bool,
    pub cancel: bool,
    pub dripfeed: bool,
    pub description: Option<String>,
    /// Simulated seconds an order waits in Pending.
    pub start_delay_s: u64,
    /// Units delivered per simulated minute once started.
    pub speed_per_min: u64,
}

type Row = (u64, &'static str, &'static str, OrderType, &'static str, u64, u64, bool, bool, bool, u64, u64);

// (id, category, name, type, rate, min, max, refill, cancel, dripfeed, start delay s, speed/min)
const BUILTIN: &[Row] = &[
    (
        101,
        "Instagram Followers",
        "Instagram Followers [Real Mixed] [Refill 30 Days] [Max 100K]",
        OrderType::Default,
        "0.90",
        50,
        100000,
        true,
        true,
        true,
        120,
        100,
    ),
    (
        102,
        "Instagram Followers",
        "Instagram Followers [HQ] [No Refill] [Instant]",
        OrderType::Default,
        "0.27819",
        10,
        50000,
        false,
        false,
        true,
        60,
        250,
    ),
    (
        103,
        "Instagram Likes",
        "Instagram Likes [Real] [Max 20K] [Day 5K]",
        OrderType::Default,
        "0.1234",
        20,
        20000,
        false,
        true,
        true,
        60,
        200,
    ),
    (
        104,
        "Instagram Likes",
        "Instagram Likes [Power] [Refill 30D] [Non Drop]",
        OrderType::Default,
        "0.35",
        50,
        50000,
        true,
        true,
        false,
        180,
        150,
    ),
    (
        105,
        "Instagram Comments",
        "Instagram Custom Comments [Worldwide]",
        OrderType::CustomComments,
        "12.50",
        5,
        1000,
        false,
        false,
        false,
        300,
        5,
    ),
    (
        106,
        "Instagram Comments",
        "Instagram Mentions [Custom List]",
        OrderType::MentionsCustomList,
        "4.80",
        10,
        5000,
        false,
        false,
        false,
        300,
        20,
    ),
    (
        107,
        "Instagram Comments",
        "Instagram Mentions [Followers of a User]",
        OrderType::MentionsUserFollowers,
        "3.256",
        100,
        100000,
        false,
        true,
        false,
        300,
        50,
    ),
    (
        108,
        "Instagram Comments",
        "Instagram Mentions [Likers of a Post]",
        OrderType::MentionsMediaLikers,
        "3.4",
        100,
        50000,
        false,
        true,
        false,
        300,
        50,
    ),
    (
        109,
        "Instagram Comments",
        "Instagram Mentions [Hashtag Users]",
        OrderType::MentionsHashtag,
        "2.95",
        100,
        50000,
        false,
        false,
        false,
        300,
        50,
    ),
    (
        110,
        "Instagram Comments",
        "Instagram Mentions with Hashtags",
        OrderType::MentionsWithHashtags,
        "5.125",
        100,
        10000,
        false,
        false,
        false,
        300,
        40,
    ),
    (111, "Instagram Comments", "Instagram Mentions [Usernames]", OrderType::Mentions, "2.5", 100, 20000, false, false, false, 300, 40),
    (
        112,
        "Instagram Comments",
        "Instagram Comment Likes [Top Comment]",
        OrderType::CommentLikes,
        "1.85",
        50,
        10000,
        false,
        true,
        false,
        120,
        60,
    ),
    (
        113,
        "Instagram Comments",
        "Instagram Comment Replies [Custom]",
        OrderType::CommentReplies,
        "18.00",
        5,
        500,
        false,
        false,
        false,
        600,
        3,
    ),
    (
        114,
        "Instagram Views",
        "Instagram Reel Views [Fast] [Max 10M]",
        OrderType::Default,
        "0.012",
        100,
        10000000,
        false,
        true,
        true,
        30,
        5000,
    ),
    (
        115,
        "Instagram Auto",
        "Instagram Auto Likes [Subscription] [Per Post]",
        OrderType::Subscriptions,
        "0.40",
        50,
        10000,
        false,
        true,
        false,
        60,
        100,
    ),
    (
        116,
        "Instagram Packages",
        "Instagram Starter Package [1K Followers + 5K Likes]",
        OrderType::Package,
        "9.99",
        1,
        1,
        false,
        false,
        false,
        600,
        1,
    ),
    (201, "TikTok Followers", "TikTok Followers [Real] [Refill 30D]", OrderType::Default, "2.14", 100, 100000, true, true, true, 300, 80),
    (202, "TikTok Likes", "TikTok Likes [Fast] [Max 50K]", OrderType::Default, "0.48", 100, 50000, false, true, true, 60, 300),
    (
        203,
        "TikTok Views",
        "TikTok Video Views [Instant] [Max 100M]",
        OrderType::Default,
        "0.0095",
        1000,
        100000000,
        false,
        false,
        true,
        30,
        20000,
    ),
    (
        204,
        "TikTok Comments",
        "TikTok Custom Comments [Package of 10]",
        OrderType::CustomCommentsPackage,
        "3.75",
        1,
        1,
        false,
        false,
        false,
        600,
        1,
    ),
    (205, "TikTok Comments", "TikTok Comment Likes", OrderType::CommentLikes, "2.20", 20, 5000, true, false, false, 300, 20),
    (
        301,
        "YouTube Views",
        "YouTube Views [Non Drop] [Lifetime Refill] [Search]",
        OrderType::Seo,
        "1.7645",
        500,
        1000000,
        true,
        false,
        true,
        900,
        200,
    ),
    (
        302,
        "YouTube Views",
        "YouTube Views [Retention 60%] [Max 500K]",
        OrderType::Default,
        "1.10",
        1000,
        500000,
        true,
        true,
        true,
        600,
        150,
    ),
    (
        303,
        "YouTube Subscribers",
        "YouTube Subscribers [Refill 30D] [Day 500]",
        OrderType::Default,
        "18.40",
        50,
        10000,
        true,
        false,
        false,
        1800,
        5,
    ),
    (304, "YouTube Likes", "YouTube Likes [Real] [Refill 30D]", OrderType::Default, "3.5", 20, 20000, true, true, false, 600, 30),
    (305, "YouTube Comments", "YouTube Custom Comments [USA]", OrderType::CustomComments, "25.00", 5, 500, false, false, false, 1200, 2),
    (306, "YouTube Comments", "YouTube Comment Likes [Top]", OrderType::CommentLikes, "4.05", 20, 5000, false, true, false, 600, 10),
    (
        401,
        "Telegram Members",
        "Telegram Channel Members [Real] [Max 50K]",
        OrderType::Default,
        "1.32",
        100,
        50000,
        true,
        true,
        true,
        300,
        100,
    ),
    (
        402,
        "Telegram Members",
        "Telegram Group Members [Invites from Groups]",
        OrderType::InvitesFromGroups,
        "2.65",
        100,
        20000,
        false,
        true,
        false,
        600,
        40,
    ),
    (403, "Telegram Views", "Telegram Post Views [Last 5 Posts]", OrderType::Default, "0.0214", 100, 1000000, false, false, true, 30, 3000),
    (404, "Telegram Polls", "Telegram Poll Votes [Any Answer]", OrderType::Poll, "0.95", 50, 50000, false, true, false, 120, 200),
    (
        501,
        "Twitter / X Followers",
        "Twitter / X Followers [HQ] [Refill 15D]",
        OrderType::Default,
        "6.2125",
        100,
        50000,
        true,
        true,
        true,
        600,
        40,
    ),
    (502, "Twitter / X Likes", "Twitter / X Likes [Real] [Max 10K]", OrderType::Default, "1.45", 20, 10000, false, true, false, 300, 60),
    (503, "Twitter / X Retweets", "Twitter / X Retweets [Fast]", OrderType::Default, "2.05", 20, 10000, false, false, true, 300, 60),
    (504, "Twitter / X Polls", "Twitter / X Poll Votes", OrderType::Poll, "1.12", 100, 100000, false, false, false, 120, 150),
    (
        601,
        "Facebook Page Likes",
        "Facebook Page Likes + Followers [Refill 30D]",
        OrderType::Default,
        "4.30",
        100,
        100000,
        true,
        true,
        true,
        900,
        50,
    ),
    (602, "Facebook Post Likes", "Facebook Post Likes [Worldwide]", OrderType::Default, "1.05", 50, 20000, false, true, false, 300, 80),
    (603, "Facebook Comments", "Facebook Custom Comments", OrderType::CustomComments, "15.50", 10, 1000, false, false, false, 900, 3),
    (
        701,
        "Spotify Plays",
        "Spotify Plays [Premium] [Royalties Eligible]",
        OrderType::Default,
        "0.89",
        1000,
        10000000,
        true,
        false,
        true,
        1800,
        500,
    ),
    (702, "Spotify Followers", "Spotify Artist Followers", OrderType::Default, "1.625", 100, 100000, false, true, true, 900, 100),
    (
        801,
        "Website Traffic",
        "Website Traffic [Google Organic] [Choose Country]",
        OrderType::WebTraffic,
        "0.75",
        500,
        1000000,
        false,
        true,
        true,
        300,
        400,
    ),
    (
        802,
        "Website Traffic",
        "Website Traffic [Social Referrers] [Mobile]",
        OrderType::WebTraffic,
        "0.61",
        1000,
        5000000,
        false,
        true,
        true,
        300,
        600,
    ),
];

fn description_for(kind: OrderType, refill: bool) -> Option<String> {
    match kind {
        OrderType::Default if refill => Some("Start: 0-1 hours. Refill button available for 30 days.".into()),
        OrderType::CustomComments | OrderType::CommentReplies => Some("One comment per line. Quantity = number of lines.".into()),
        OrderType::Subscriptions => Some("New posts are detected automatically.".into()),
        OrderType::WebTraffic => Some("Choose country and traffic source.".into()),
        _ => None,
    }
}

pub fn builtin() -> Vec<Service> {
    BUILTIN
        .iter()
        .map(|&(id, category, name, kind, rate, min, max, refill, cancel, dripfeed, delay, speed)| Service {
            id,
            name: name.to_string(),
            kind,
            category: category.to_string(),
            rate_text: rate.to_string(),
            rate: Money::parse(rate).unwrap_or_default(),
            min,
            max,
            refill,
            cancel,
            dripfeed,
            description: description_for(kind, refill),
            start_delay_s: delay,
            speed_per_min: speed,
        })
        .collect()
}

/// What the generated services' names and descriptions look like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Strings {
    /// Like real panels' (emoji and flags, `|` and `/` separators, words in other scripts,
    /// quotes, multi-line descriptions on about a third of the services), so a decoder is
    /// measured on the escapes and multi-byte UTF-8 it will meet.
    Realistic,
    /// Plain-ASCII names, no descriptions: a decoder's worst case against `JSON.parse`, whose
    /// share of the work is smallest on such text.
    Ascii,
}

/// A deterministic generator for benchmarks: same inputs, same catalog, no randomness.
pub fn generated(n: usize, strings: Strings) -> Vec<Service> {
    const PLATFORMS: [&str; 8] = ["Instagram", "TikTok", "YouTube", "Telegram", "Twitter / X", "Facebook", "Spotify", "Website"];
    const PRODUCTS: [&str; 8] = ["Followers", "Likes", "Views", "Comments", "Shares", "Saves", "Members", "Traffic"];
    const ASCII_QUALITIES: [&str; 6] = ["[Real]", "[HQ]", "[Bots]", "[Non Drop]", "[Instant]", "[Premium]"];
    const ASCII_EXTRAS: [&str; 5] = ["[Refill 30D]", "[No Refill]", "[Max 100K]", "[Day 10K]", "[Lifetime]"];
    const QUALITIES: [&str; 8] = [
        "[Real]",
        "[HQ] \u{1F48E}",
        "[Bots]",
        "[Non Drop] \u{267B}\u{FE0F}",
        "[Instant] \u{26A1}",
        "\u{1F525} [Premium]",
        "| Подписчики",
        "[\"Real\" Accounts]",
    ];
    const EXTRAS: [&str; 8] = [
        "[Refill 30D] \u{267B}\u{FE0F}",
        "[No Refill]",
        "| Max 100K | 10K/Day",
        "[Day 10K]",
        "[Lifetime] \u{2B50}",
        "\u{1F1FA}\u{1F1F8} USA",
        "\u{1F1E7}\u{1F1F7} Brasil | Seguidores",
        "| Türkiye \u{1F1F9}\u{1F1F7}",
    ];
    const DESCRIPTIONS: [&str; 4] = [
        "Start: 0-1 hours\nSpeed: 10K/day\nRefill: 30 days \u{267B}\u{FE0F}\nLink: https://instagram.com/username",
        "\u{26A0}\u{FE0F} Do not place a second order for the same link before the first one is completed!\n\u{2705} Drop: 0-5%",
        "Profile must be \"public\" / the account must not be private.\nNo refund after the order has started.",
        "Качество: реальные пользователи\nСтарт: 0–2 часа / Скорость: до 5K в день",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        // xorshift64*: tiny, fixed seed, so the catalog is the same on every run.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    (0..n)
        .map(|i| {
            let r = next();
            let platform = PLATFORMS[i % PLATFORMS.len()];
            let product = PRODUCTS[(i / PLATFORMS.len()) % PRODUCTS.len()];
            let kind = if i % 10 == 9 { OrderType::ALL[(i / 10) % OrderType::ALL.len()] } else { OrderType::Default };
            let decimals = 2 + (r % 4) as usize; // 2..=5
            let cents = 1 + (r >> 8) % 2_000_000; // up to 20.00000 in 1e-5 units
            let whole = cents / 100_000;
            let frac = format!("{:05}", cents % 100_000);
            let rate_text = format!("{whole}.{}", &frac[..decimals]);
            let (min, max) = if kind.is_package() { (1, 1) } else { (10 * (1 + (r >> 30) % 10), 1000 * (1 + (r >> 34) % 1000)) };
            let refill = (r >> 40) % 3 == 0;
            let (qualities, extras): (&[&str], &[&str]) = match strings {
                Strings::Realistic => (&QUALITIES, &EXTRAS),
                Strings::Ascii => (&ASCII_QUALITIES, &ASCII_EXTRAS),
            };
            let described = strings == Strings::Realistic && (r >> 58) % 3 == 0;
            let description = described.then(|| DESCRIPTIONS[(r >> 61) as usize % DESCRIPTIONS.len()].to_string());
            Service {
                id: 1000 + i as u64,
                name: format!(
                    "{platform} {product} {} {} #{}",
                    qualities[(r >> 44) as usize % qualities.len()],
                    extras[(r >> 48) as usize % extras.len()],
                    i + 1
                ),
                kind,
                category: format!("{platform} {product}"),
                rate: Money::parse(&rate_text).unwrap_or_default(),
                rate_text,
                min,
                max,
                refill,
                cancel: (r >> 52) % 2 == 0,
                dripfeed: kind == OrderType::Default && (r >> 56) % 2 == 0,
                description,
                start_delay_s: 60 + (r >> 20) % 600,
                speed_per_min: 10 + (r >> 24) % 1000,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_covers_every_type() {
        let cat = builtin();
        for t in OrderType::ALL {
            assert!(cat.iter().any(|s| s.kind == t), "no service of type {t:?}");
        }
        for s in &cat {
            assert_eq!(Money::parse(&s.rate_text).map(|m| m == s.rate), Ok(true), "{}", s.rate_text);
            assert!(s.min <= s.max);
        }
    }

    #[test]
    fn generated_is_deterministic() {
        let a = generated(500, Strings::Realistic);
        let b = generated(500, Strings::Realistic);
        assert_eq!(a.len(), 500);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((x.id, &x.name, &x.rate_text), (y.id, &y.name, &y.rate_text));
            let decimals = x.rate_text.split('.').nth(1).map(str::len).unwrap_or(0);
            assert!((2..=5).contains(&decimals), "{}", x.rate_text);
        }
    }

    #[test]
    fn generated_strings_look_like_real_panels() {
        let cat = generated(2000, Strings::Realistic);
        let share = |f: &dyn Fn(&Service) -> bool| cat.iter().filter(|s| f(s)).count() * 100 / cat.len();
        let described = share(&|s| s.description.is_some());
        assert!((25..=40).contains(&described), "{described}% of services have a description");
        assert!(share(&|s| !s.name.is_ascii()) >= 30, "too few names with emoji or other scripts");
        assert!(cat.iter().any(|s| s.name.contains('"')), "no name needs an escaped quote");
        assert!(cat.iter().any(|s| s.name.contains("Подписчики")), "no name in another script");
        let descriptions: std::collections::BTreeSet<_> = cat.iter().filter_map(|s| s.description.as_deref()).collect();
        assert_eq!(descriptions.len(), 4, "every description is used");
        assert!(descriptions.iter().all(|d| d.contains('\n')), "descriptions are multi-line");
    }

    #[test]
    fn generated_ascii_is_the_same_catalog_in_plain_strings() {
        let (plain, realistic) = (generated(2000, Strings::Ascii), generated(2000, Strings::Realistic));
        assert!(plain.iter().all(|s| s.name.is_ascii() && s.description.is_none() && !s.name.contains('"')));
        for (p, r) in plain.iter().zip(&realistic) {
            assert_eq!((p.id, p.kind, &p.category, &p.rate_text, p.min, p.max), (r.id, r.kind, &r.category, &r.rate_text, r.min, r.max));
        }
    }
}

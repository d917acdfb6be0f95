//! Demo reading activity (委员读书, 书香政协 in the seed reports): a public group reading
//! 《乡土中国》 with guides, reflections, a note with a quote, replies, a featured post and
//! check-ins; a members-only Party-history group (like 百年湖湘潮); and an upcoming public
//! group on urban renewal.

use crate::db::posts::{Container, NewPostRecord};
use crate::db::reading::GroupRecord;
use crate::db::Db;
use anyhow::Context;
use yishi_api::*;

async fn account(db: &Db, username: &str) -> anyhow::Result<AccountId> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await
        .with_context(|| format!("demo account {username}"))?;
    Ok(AccountId(id))
}

struct DemoBook {
    title: &'static str,
    author: &'static str,
    publisher: &'static str,
    year: i64,
    chapters: &'static [&'static str],
}

async fn book(db: &Db, b: &DemoBook, by: AccountId) -> anyhow::Result<Book> {
    let id = db
        .create_book(
            &BookInput {
                title: b.title.into(),
                author: b.author.into(),
                publisher: b.publisher.into(),
                year: Some(b.year),
                chapters: b.chapters.iter().map(|c| (*c).to_owned()).collect(),
            },
            by,
        )
        .await?;
    db.books(Some(&[id]))
        .await?
        .pop()
        .context("demo book just stored")
}

/// A post: (author, kind, chapter index, quote, body); replies via `reply`.
async fn write(
    db: &Db,
    group: i64,
    author: AccountId,
    kind: PostKind,
    chapter: Option<&Chapter>,
    quote: Option<(&str, &str)>,
    body: &str,
) -> anyhow::Result<Post> {
    Ok(db
        .create_post(
            Container::reading(group),
            &NewPostRecord {
                author,
                kind,
                body_md: body,
                body_html: &crate::markdown::render(body),
                parent_id: None,
                chapter_id: chapter.map(|c| c.id),
                quote: quote.map(|(text, page)| Quote {
                    text: text.into(),
                    chapter: chapter.map(|c| c.title.clone()).unwrap_or_default(),
                    page: page.into(),
                }),
                root_id: None,
                depth: 0,
            },
        )
        .await?)
}

async fn reply(
    db: &Db,
    group: i64,
    author: AccountId,
    parent: &Post,
    root: &Post,
    depth: i64,
    body: &str,
) -> anyhow::Result<Post> {
    Ok(db
        .create_post(
            Container::reading(group),
            &NewPostRecord {
                author,
                kind: PostKind::Reply,
                body_md: body,
                body_html: &crate::markdown::render(body),
                parent_id: Some(parent.id),
                chapter_id: None,
                quote: None,
                root_id: Some(root.id),
                depth,
            },
        )
        .await?)
}

pub async fn load(db: &Db, staff: AccountId) -> anyhow::Result<()> {
    let period = db
        .create_period(&ReadingPeriodInput {
            name: "2026年下半年“阅享新时代 书香满政协”委员读书活动".into(),
            starts_on: "2026-09-01".into(),
            ends_on: "2026-12-31".into(),
        })
        .await?;
    let earth = book(
        db,
        &DemoBook {
            title: "乡土中国",
            author: "费孝通",
            publisher: "北京大学出版社",
            year: 2012,
            chapters: &[
                "乡土本色",
                "文字下乡",
                "再论文字下乡",
                "差序格局",
                "维系着私人的道德",
                "家族",
                "男女有别",
                "礼治秩序",
                "无讼",
                "无为政治",
                "长老统治",
                "血缘和地缘",
                "名实的分离",
                "从欲望到需要",
            ],
        },
        staff,
    )
    .await?;
    let history = book(
        db,
        &DemoBook {
            title: "中国共产党简史",
            author: "本书编写组",
            publisher: "人民出版社",
            year: 2021,
            chapters: &[
                "中国共产党的创立和投身大革命的洪流",
                "掀起土地革命的风暴",
                "夺取抗日战争的伟大胜利",
                "夺取新民主主义革命的全国性胜利",
            ],
        },
        staff,
    )
    .await?;
    let city = book(
        db,
        &DemoBook {
            title: "美国大城市的死与生",
            author: "简·雅各布斯",
            publisher: "译林出版社",
            year: 2020,
            chapters: &[
                "导言",
                "人行道的用途：安全",
                "人行道的用途：交往",
                "街区公园的用途",
            ],
        },
        staff,
    )
    .await?;

    let weekly = |b: &Book, first_week: i64| -> Vec<PlanEntry> {
        b.chapters
            .iter()
            .enumerate()
            .map(|(n, c)| PlanEntry {
                chapter_id: c.id,
                week: first_week + n as i64,
            })
            .collect()
    };
    let owner = account(db, "member1").await?;
    let leader = account(db, "member2").await?;
    let readers = [
        account(db, "member3").await?,
        account(db, "member5").await?,
        account(db, "member8").await?,
        account(db, "member12").await?,
    ];
    let description = "以费孝通先生《乡土中国》为读本，每周共读一章。领读人发布导读，委员结合履职实践交流心得、摘录笔记，\
                       把读书体会转化为乡村振兴和基层治理的建言。";
    let earth_plan = weekly(&earth, 1);
    let earth_group = db
        .save_group(
            None,
            &GroupRecord {
                name: "《乡土中国》读书群",
                theme: "读懂中国基层社会，助力乡村振兴",
                description_md: description,
                description_html: &crate::markdown::render(description),
                period_id: period.id,
                visibility: Visibility::Public,
                owner,
                leaders: &[leader],
                book_ids: &[earth.id],
                plan: &earth_plan,
            },
            staff,
        )
        .await?;
    for r in readers {
        db.add_group_member(earth_group, r).await?;
    }
    db.set_group_state(
        earth_group,
        ReadingGroupState::Upcoming,
        ReadingGroupState::Open,
    )
    .await?;
    let ch = &earth.chapters;
    let guide = write(
        db,
        earth_group,
        leader,
        PostKind::Guide,
        Some(&ch[0]),
        None,
        "**第一周导读：乡土本色**\n\n费孝通先生开篇即说“从基层上看去，中国社会是乡土性的”。请大家读的时候想一想：\
         \n\n1. “土气”为什么不是贬义？\n2. 熟人社会里的规矩和信任从哪里来？\n3. 今天的村庄还保留了哪些乡土本色？",
    )
    .await?;
    write(
        db,
        earth_group,
        readers[0],
        PostKind::Note,
        Some(&ch[0]),
        Some(("从基层上看去，中国社会是乡土性的。", "6")),
        "这句话是全书的总纲。我在萝北县调研时看到，村里的很多事情仍然靠“熟人”办成，\
         这既是基层治理的资源，也提醒我们制度建设要贴近乡土实际。",
    )
    .await?;
    let reflection = write(
        db,
        earth_group,
        readers[1],
        PostKind::Reflection,
        Some(&ch[3]),
        None,
        "读“差序格局”一章，对“以己为中心、像石子投入水中的波纹”这一比喻印象很深。\
         结合这几年的微协商实践，群众最关心的往往就是“波纹”最内圈的事：家门口的路、楼里的水、孩子上学。\
         协商议题从这些小事入手，更容易凝聚共识。",
    )
    .await?;
    let first = reply(
        db,
        earth_group,
        owner,
        &reflection,
        &reflection,
        1,
        "说得好。建议把这个体会整理一下，在下次微协商培训上和大家分享。",
    )
    .await?;
    reply(
        db,
        earth_group,
        readers[1],
        &first,
        &reflection,
        2,
        "好的，我下周整理成一篇短文。",
    )
    .await?;
    reply(
        db,
        earth_group,
        readers[2],
        &guide,
        &guide,
        1,
        "第二个问题很有意思：熟人社会的信任，在城镇化以后怎样延续？",
    )
    .await?;
    write(
        db,
        earth_group,
        readers[3],
        PostKind::Reflection,
        Some(&ch[1]),
        None,
        "“文字下乡”讲的是乡村为什么不需要文字。今天恰恰相反，政务服务、惠农政策都要通过手机和文字传到村里，\
         老年人的“数字鸿沟”值得我们在提案中多加关注。",
    )
    .await?;
    db.set_featured(reflection.id, true).await?;
    db.set_featured(guide.id, true).await?;
    for (who, chapters) in [
        (owner, 4),
        (leader, 4),
        (readers[0], 2),
        (readers[1], 4),
        (readers[2], 1),
    ] {
        for c in &ch[..chapters] {
            db.set_checkin(earth_group, who, c.id, true).await?;
        }
    }

    // Members only: Party history (线上“百年湖湘潮”主题读书群).
    let history_owner = account(db, "member6").await?;
    let history_leader = account(db, "member7").await?;
    let text = "共读《中国共产党简史》，学史明理、学史增信、学史崇德、学史力行。";
    let history_group = db
        .save_group(
            None,
            &GroupRecord {
                name: "“百年湖湘潮”党史读书群",
                theme: "学党史·讲故事",
                description_md: text,
                description_html: &crate::markdown::render(text),
                period_id: period.id,
                visibility: Visibility::Members,
                owner: history_owner,
                leaders: &[history_leader],
                book_ids: &[history.id],
                plan: &weekly(&history, 1),
            },
            staff,
        )
        .await?;
    db.set_group_state(
        history_group,
        ReadingGroupState::Upcoming,
        ReadingGroupState::Open,
    )
    .await?;
    write(
        db,
        history_group,
        history_leader,
        PostKind::Guide,
        history.chapters.first(),
        None,
        "第一章导读：请重点阅读中共一大召开的经过，思考“开天辟地”的历史意义。",
    )
    .await?;

    // Upcoming, public: urban renewal and community governance.
    let text = "围绕城市更新和老旧小区改造，共读城市规划经典，为社区治理建言。";
    db.save_group(
        None,
        &GroupRecord {
            name: "城市更新与社区治理读书群",
            theme: "街道、邻里与公共空间",
            description_md: text,
            description_html: &crate::markdown::render(text),
            period_id: period.id,
            visibility: Visibility::Public,
            owner: account(db, "member9").await?,
            leaders: &[],
            book_ids: &[city.id],
            plan: &weekly(&city, 1),
        },
        staff,
    )
    .await?;
    Ok(())
}

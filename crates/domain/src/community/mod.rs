//! 가치삽시다 2.0: merchants answering merchants. Questions (묻고 답하기) with answers, votes and
//! accepted answers; know-how articles (노하우) written by staff, designers and merchants and
//! published after a staff review; search across both with the Korean analysis of the MD pool;
//! and help at the moment of an error — the solved questions and articles about a readiness or
//! marketplace error code, and a question started from it.
//!
//! Reading is public (solved or not; hidden posts and unpublished articles excepted). Asking and
//! answering need an account, at most a few posts a day (fewer in an account's first days). Every
//! text is stored with personal data masked (`text.rs`: phone numbers, 사업자등록번호, e-mail) and
//! rendered from Markdown through a sanitizer that removes script, frames, forms and event
//! handlers. A vote on one's own answer, a repeated vote, and accepting on another's question
//! are refused; the asker accepts, as do staff and, a week after asking, the asker's designer.
//! Edits keep the earlier text. Reputation comes from votes and acceptances with a daily cap.
//!
//! A question nobody answered within a few hours is routed (`routing.rs`) to owners who opted in
//! and whose record shows they got past the same problem; they, the asker (on an answer) and the
//! answerer (on an acceptance) are notified in the app.

pub mod digest;
pub mod model;
pub mod routing;
pub mod search;
pub mod store;
pub mod text;

use crate::accounts::{Role, User, UserId};
use crate::discovery::search::SearchError;
use crate::kernel::audit::Actor;
use crate::kernel::channel::Channel;
use crate::kernel::error::{FieldError, ValidationErrors};
use crate::kernel::time::Timestamp;
use crate::ports::{Clock, Store, StoreError};

pub use model::*;
use search::{MAX_PAGE, PostDocument, PostIndex, PostKind, PostQuery};
pub use store::{ArticleText, CommunityStore, EditedText, QuestionFilter};

#[derive(Debug, thiserror::Error)]
pub enum CommunityError {
    #[error("invalid input")]
    Invalid(ValidationErrors),
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

fn invalid(field: &str, code: &'static str) -> CommunityError {
    CommunityError::Invalid(FieldError::new(field, code).into())
}

/// Posts a day: an account in its first three days, then any account.
const NEW_ACCOUNT_DAYS: i64 = 3;
const QUESTIONS_PER_DAY: (u32, u32) = (3, 10);
const ANSWERS_PER_DAY: (u32, u32) = (10, 40);
/// How long an asker has to accept before their designer may.
const DESIGNER_ACCEPTS_AFTER_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

/// A question with its answers as one reader sees it.
#[derive(Debug, Clone)]
pub struct QuestionView {
    pub question: Question,
    /// Accepted first, then by score, then oldest.
    pub answers: Vec<Answer>,
    /// The reader's votes: (answer, value).
    pub my_votes: Vec<(i64, i8)>,
    pub may_answer: bool,
    pub may_accept: bool,
    pub may_edit: bool,
    pub closed: bool,
    /// How many owners who solved the same problem were asked to answer.
    pub invited: usize,
    /// The asker (or staff) may ask them now instead of waiting: nobody asked or answered yet.
    pub may_route: bool,
    /// The question's earlier texts (newest first).
    pub revisions: Vec<Revision>,
}

/// One search hit, resolved to what a list shows.
#[derive(Debug, Clone)]
pub enum Post {
    Question(Question),
    Article(Article),
}

/// A page of posts and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct Posts {
    pub items: Vec<Post>,
    /// A lower bound when `total_exact` is false (the index stops counting past a thousand).
    pub total: u64,
    pub total_exact: bool,
}

/// A member's standing in the community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub reputation: i64,
    pub answers: u32,
    pub accepted: u32,
    pub trust: TrustLevel,
    /// Message keys.
    pub badges: Vec<&'static str>,
}

pub struct Community<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub index: &'a dyn PostIndex,
}

impl Community<'_> {
    /// The name a post shows: a merchant's shop name, anyone else's display name.
    async fn author_name(&self, user: &User) -> Result<String, CommunityError> {
        if user.role == Role::Merchant
            && let Some(shop) = self.store.merchant_of_owner(user.id).await?
        {
            return Ok(shop.name);
        }
        Ok(user.display_name.clone())
    }

    /// Refused while staff suspended the account's posting.
    async fn not_suspended(&self, user: &User) -> Result<(), CommunityError> {
        if let Some((until, _)) = self.store.suspension(user.id).await?
            && until > self.clock.now()
        {
            return Err(invalid("account", "error-community-suspended"));
        }
        Ok(())
    }

    async fn within_daily_limit(&self, user: &User, question: bool) -> Result<(), CommunityError> {
        self.not_suspended(user).await?;
        let now = self.clock.now();
        let since = Timestamp::from_unix_ms(now.unix_ms() - DAY_MS);
        let (questions, answers) = self.store.posts_since(user.id, since).await?;
        let new = now.unix_ms() - user.created_at.unix_ms() < NEW_ACCOUNT_DAYS * DAY_MS;
        let (count, (new_cap, cap)) = if question {
            (questions, QUESTIONS_PER_DAY)
        } else {
            (answers, ANSWERS_PER_DAY)
        };
        if !user.role.is_staff() && count >= if new { new_cap } else { cap } {
            return Err(invalid(
                if question { "title" } else { "body" },
                "error-community-daily-limit",
            ));
        }
        Ok(())
    }

    /// The question as the index sees it: its text and its accepted answers' text.
    async fn reindex_question(&self, id: i64) -> Result<(), CommunityError> {
        let Some(question) = self.store.question(id).await? else {
            return Ok(());
        };
        if question.hidden_at.is_some() {
            self.index.remove(PostKind::Question, id)?;
            return Ok(());
        }
        let answers = self.store.answers(id).await?;
        self.index.upsert(&question_document(&question, &answers))?;
        Ok(())
    }

    /// Refills the index from the database (at start): every visible question and published
    /// article. Returns how many posts it holds.
    pub async fn rebuild_index(&self) -> Result<u64, CommunityError> {
        let mut documents = Vec::new();
        for q in self.store.all_questions().await? {
            let answers = self.store.answers(q.id).await?;
            documents.push(question_document(&q, &answers));
        }
        for a in self
            .store
            .articles(Some(ArticleStatus::Published), None, u32::MAX)
            .await?
        {
            documents.push(article_document(&a));
        }
        Ok(self.index.rebuild(&mut documents.into_iter())?)
    }

    // ---- questions ----

    /// Asks a question (any signed-in account). Personal data is masked before it is kept; the
    /// second value says whether any was.
    pub async fn ask(
        &self,
        user: &User,
        actor: &Actor,
        input: &QuestionInput,
    ) -> Result<(Question, bool), CommunityError> {
        let mut valid = input.validate().map_err(CommunityError::Invalid)?;
        self.within_daily_limit(user, true).await?;
        let title = text::mask_personal_data(&valid.title);
        let body = text::mask_personal_data(&valid.body);
        valid.title = title.text;
        let (kept, body_html) = self.cooked(user, body.text).await?;
        valid.body = kept;
        let now = self.clock.now();
        let new = NewQuestion {
            author: user.id,
            author_name: self.author_name(user).await?,
            body_html,
            question: valid,
            at: now,
        };
        let audit = actor.entry(now, "community.ask", "question:new", "");
        let question = self.store.create_question(&new, &audit).await?;
        self.index.upsert(&question_document(&question, &[]))?;
        Ok((question, title.found || body.found))
    }

    async fn visible_question(
        &self,
        viewer: Option<&User>,
        id: i64,
    ) -> Result<Question, CommunityError> {
        let question = self
            .store
            .question(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        let staff = viewer.is_some_and(|u| u.role.is_staff());
        if question.hidden_at.is_some() && !staff {
            return Err(CommunityError::NotFound);
        }
        Ok(question)
    }

    /// A question with its answers (public; hidden questions only for staff).
    pub async fn question(
        &self,
        viewer: Option<&User>,
        id: i64,
    ) -> Result<QuestionView, CommunityError> {
        let question = self.visible_question(viewer, id).await?;
        let staff = viewer.is_some_and(|u| u.role.is_staff());
        let mut answers: Vec<Answer> = self
            .store
            .answers(id)
            .await?
            .into_iter()
            .filter(|a| staff || a.hidden_at.is_none())
            .collect();
        answers.sort_by(|a, b| {
            b.accepted_at
                .is_some()
                .cmp(&a.accepted_at.is_some())
                .then(b.score.cmp(&a.score))
                .then(a.created_at.cmp(&b.created_at))
        });
        let now = self.clock.now();
        let closed = question.closed_at(now) || question.hidden_at.is_some();
        let (my_votes, may_accept, may_edit) = match viewer {
            Some(user) => (
                self.store.votes_of(id, user.id).await?,
                self.may_accept(user, &question).await?,
                user.id == question.author || user.role.is_staff(),
            ),
            None => (Vec::new(), false, false),
        };
        let invited = self.store.question_invitations(id).await?.len();
        Ok(QuestionView {
            may_route: may_edit && invited == 0 && answers.is_empty() && !closed,
            invited,
            revisions: if may_edit {
                self.store.revisions(id, None).await?
            } else {
                Vec::new()
            },
            may_answer: viewer.is_some() && !closed,
            question,
            answers,
            my_votes,
            may_accept,
            may_edit,
            closed,
        })
    }

    async fn may_accept(&self, user: &User, question: &Question) -> Result<bool, CommunityError> {
        if user.id == question.author || user.role.is_staff() {
            return Ok(true);
        }
        if user.role != Role::Designer {
            return Ok(false);
        }
        let now = self.clock.now();
        if now.unix_ms() - question.created_at.unix_ms() < DESIGNER_ACCEPTS_AFTER_DAYS * DAY_MS {
            return Ok(false);
        }
        let Some(shop) = self.store.merchant_of_owner(question.author).await? else {
            return Ok(false);
        };
        Ok(self
            .store
            .delegations(Some(shop.id), Some(user.id))
            .await?
            .iter()
            .any(|d| d.active(now)))
    }

    /// Questions newest first (public).
    pub async fn questions(
        &self,
        filter: &QuestionFilter,
    ) -> Result<Vec<Question>, CommunityError> {
        let mut filter = filter.clone();
        filter.limit = filter.limit.clamp(1, MAX_PAGE);
        Ok(self.store.questions(&filter).await?)
    }

    /// Edits a question (its author or staff); the earlier text is kept.
    pub async fn edit_question(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        title: &str,
        body: &str,
    ) -> Result<bool, CommunityError> {
        let question = self.visible_question(Some(user), id).await?;
        if user.id != question.author && !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let title = checked_text(&mut errors, "title", title, TITLE_MIN, TITLE_MAX, false);
        let body = checked_text(&mut errors, "body", body, BODY_MIN, BODY_MAX, true);
        errors.into_result().map_err(CommunityError::Invalid)?;
        let title = text::mask_personal_data(&title);
        let masked = text::mask_personal_data(&body);
        let (body, body_html) = self.cooked(user, masked.text).await?;
        let now = self.clock.now();
        let audit = actor.entry(now, "community.edit", format!("question:{id}"), "");
        self.store
            .edit_question(
                id,
                &EditedText {
                    title: title.text,
                    body,
                    body_html,
                },
                user.id,
                now,
                &audit,
            )
            .await?;
        self.reindex_question(id).await?;
        Ok(title.found || masked.found)
    }

    /// Hides a question (its author or staff, with a reason for the audit trail); its answers
    /// stay in their authors' history.
    pub async fn hide_question(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<(), CommunityError> {
        let question = self.visible_question(Some(user), id).await?;
        if user.id != question.author && !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        if question.hidden_at.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        let reason = crate::kernel::text::clean(reason);
        let audit = actor.entry(now, "community.hide", format!("question:{id}"), reason);
        self.store.hide_question(id, now, &audit).await?;
        self.index.remove(PostKind::Question, id)?;
        Ok(())
    }

    // ---- answers ----

    /// Answers a question (any signed-in account) unless it closed after being solved.
    pub async fn answer(
        &self,
        user: &User,
        actor: &Actor,
        question_id: i64,
        body: &str,
    ) -> Result<(Answer, bool), CommunityError> {
        let question = self.visible_question(Some(user), question_id).await?;
        let now = self.clock.now();
        if question.closed_at(now) || question.hidden_at.is_some() {
            return Err(invalid("body", "error-community-closed"));
        }
        let mut errors = ValidationErrors::new();
        let body = checked_text(&mut errors, "body", body, ANSWER_MIN, BODY_MAX, true);
        errors.into_result().map_err(CommunityError::Invalid)?;
        self.within_daily_limit(user, false).await?;
        let masked = text::mask_personal_data(&body);
        let (body, body_html) = self.cooked(user, masked.text).await?;
        let new = NewAnswer {
            question: question_id,
            author: user.id,
            author_name: self.author_name(user).await?,
            body_html,
            body,
            at: now,
        };
        let audit = actor.entry(
            now,
            "community.answer",
            format!("question:{question_id}"),
            "",
        );
        let answer = self.store.create_answer(&new, &audit).await?;
        if question.author != user.id {
            self.store
                .notify(
                    question.author,
                    NotificationKind::Answer,
                    question_id,
                    Some(answer.id),
                    &answer.author_name,
                    now,
                )
                .await?;
        }
        self.notify_mentioned(&question, &answer, now).await?;
        Ok((answer, masked.found))
    }

    /// Tells the thread's people an answer names with `@` (the asker is told of every answer
    /// anyway; nobody is told of naming themselves). Only people in the thread can be named, so a
    /// mention cannot be used to reach strangers.
    async fn notify_mentioned(
        &self,
        question: &Question,
        answer: &Answer,
        now: Timestamp,
    ) -> Result<(), CommunityError> {
        if !answer.body.contains('@') {
            return Ok(());
        }
        let mut people: Vec<(String, UserId)> =
            vec![(question.author_name.clone(), question.author)];
        for a in self.store.answers(question.id).await? {
            if a.hidden_at.is_none() {
                people.push((a.author_name, a.author));
            }
        }
        let names: Vec<&str> = people.iter().map(|(n, _)| n.as_str()).collect();
        let named = text::mentioned(&answer.body, &names);
        let mut told = vec![answer.author, question.author];
        for (name, user) in &people {
            if named.contains(&name.as_str()) && !told.contains(user) {
                told.push(*user);
                self.store
                    .notify(
                        *user,
                        NotificationKind::Mention,
                        question.id,
                        Some(answer.id),
                        &answer.author_name,
                        now,
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Edits an answer (its author or staff); the earlier text is kept.
    pub async fn edit_answer(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        body: &str,
    ) -> Result<bool, CommunityError> {
        let answer = self
            .store
            .answer(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        self.visible_question(Some(user), answer.question).await?;
        if user.id != answer.author && !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let body = checked_text(&mut errors, "body", body, ANSWER_MIN, BODY_MAX, true);
        errors.into_result().map_err(CommunityError::Invalid)?;
        let masked = text::mask_personal_data(&body);
        let (body, body_html) = self.cooked(user, masked.text).await?;
        let now = self.clock.now();
        let audit = actor.entry(now, "community.edit", format!("answer:{id}"), "");
        self.store
            .edit_answer(
                id,
                &EditedText {
                    title: String::new(),
                    body,
                    body_html,
                },
                user.id,
                now,
                &audit,
            )
            .await?;
        if answer.accepted_at.is_some() {
            self.reindex_question(answer.question).await?;
        }
        Ok(masked.found)
    }

    /// Votes an answer up (+1) or down (−1): never one's own, never the same vote twice (a
    /// changed mind replaces the vote).
    pub async fn vote(&self, user: &User, id: i64, value: i64) -> Result<(), CommunityError> {
        let answer = self
            .store
            .answer(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        self.visible_question(Some(user), answer.question).await?;
        if value != 1 && value != -1 {
            return Err(invalid("value", "error-community-vote-value"));
        }
        if answer.author == user.id {
            return Err(invalid("value", "error-community-own-vote"));
        }
        let mine = self.store.votes_of(answer.question, user.id).await?;
        if mine.iter().any(|(a, v)| *a == id && i64::from(*v) == value) {
            return Err(invalid("value", "error-community-voted-already"));
        }
        self.store
            .vote(id, user.id, value as i8, self.clock.now())
            .await?;
        Ok(())
    }

    /// Accepts an answer: the asker, staff, or — a week after asking — the asker's designer.
    /// Several answers may be accepted.
    pub async fn accept(&self, user: &User, actor: &Actor, id: i64) -> Result<(), CommunityError> {
        let answer = self
            .store
            .answer(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        let question = self.visible_question(Some(user), answer.question).await?;
        if !self.may_accept(user, &question).await? {
            return Err(CommunityError::Forbidden);
        }
        if answer.accepted_at.is_some() {
            return Ok(());
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "community.accept", format!("answer:{id}"), "");
        self.store.accept(id, user.id, now, &audit).await?;
        if answer.author != user.id {
            let name = self.author_name(user).await?;
            self.store
                .notify(
                    answer.author,
                    NotificationKind::Accepted,
                    question.id,
                    Some(id),
                    &name,
                    now,
                )
                .await?;
        }
        self.reindex_question(question.id).await
    }

    // ---- routing and notifications ----

    /// `route_unanswered` on a staff member's request (the server's sweep needs no one).
    pub async fn route_unanswered_for(&self, user: &User) -> Result<usize, CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        self.route_unanswered().await
    }

    /// Routes every question that waited `ROUTE_AFTER_HOURS` without an answer to the owners who
    /// solved the same problem (the server runs this every few minutes); returns how many
    /// invitations went out.
    pub async fn route_unanswered(&self) -> Result<usize, CommunityError> {
        let now = self.clock.now();
        let before =
            Timestamp::from_unix_ms(now.unix_ms() - routing::ROUTE_AFTER_HOURS * 3_600_000);
        let mut sent = 0;
        for question in self.store.unrouted_questions(before, 200).await? {
            sent += self.route(&question).await?;
        }
        Ok(sent)
    }

    /// Asks the owners who solved the same problem right away, without waiting (the asker or
    /// staff; "물어봐 주세요"). Returns how many were asked; refused once the question was routed.
    pub async fn route_now(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
    ) -> Result<usize, CommunityError> {
        let question = self.visible_question(Some(user), id).await?;
        if user.id != question.author && !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        if !self.store.question_invitations(id).await?.is_empty() {
            return Err(invalid("question", "error-community-routed-already"));
        }
        let sent = self.route(&question).await?;
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "community.route",
            format!("question:{id}"),
            sent.to_string(),
        );
        self.store.append_audit(&audit).await?;
        Ok(sent)
    }

    async fn route(&self, question: &Question) -> Result<usize, CommunityError> {
        let now = self.clock.now();
        let since = Timestamp::from_unix_ms(now.unix_ms() - DAY_MS);
        let shop = self.store.merchant_of_owner(question.author).await?;
        let (sigungu, industry) = shop
            .map(|s| (s.region.as_str().to_owned(), s.industry.code.clone()))
            .unwrap_or_default();
        let major: String = industry.chars().take(2).collect();
        let candidates = self
            .store
            .routing_candidates(question.channel, &question.error_code, &major)
            .await?;
        if candidates.is_empty() {
            return Ok(0);
        }
        let users: Vec<UserId> = candidates.iter().map(|c| c.user).collect();
        let today = self
            .store
            .invitations_since(&users, since)
            .await?
            .into_iter()
            .collect();
        let asker = routing::Asker {
            user: question.author,
            sigungu,
            industry,
        };
        let chosen = routing::choose(&asker, &candidates, &today);
        if !chosen.is_empty() {
            self.store
                .invite_helpers(question.id, &question.author_name, &chosen, now)
                .await?;
        }
        Ok(chosen.len())
    }

    pub async fn helping(&self, user: &User) -> Result<Helping, CommunityError> {
        Ok(self.store.helping(user.id).await?)
    }

    /// Opts in to (or out of) being asked; `nearby` also takes questions from shops of one's own
    /// 시군구 and industry.
    pub async fn set_helping(
        &self,
        user: &User,
        actor: &Actor,
        helping: Helping,
    ) -> Result<(), CommunityError> {
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "community.helping",
            format!("user:{}", user.id.0),
            format!("{}/{}", helping.opted_in, helping.nearby),
        );
        Ok(self
            .store
            .set_helping(user.id, helping, now, &audit)
            .await?)
    }

    /// The reader's notifications, newest first, and how many are unread.
    pub async fn notifications(
        &self,
        user: &User,
    ) -> Result<(Vec<Notification>, u32), CommunityError> {
        Ok((
            self.store.notifications(user.id, 50).await?,
            self.store.unread_notifications(user.id).await?,
        ))
    }

    /// Writes the daily digests that are due (see [`digest`]) into the mail outbox; returns how
    /// many. The caller runs it once a day, and only when mail can be sent.
    pub async fn queue_digests(
        &self,
        writer: &dyn digest::DigestWriter,
    ) -> Result<usize, CommunityError> {
        let mut queued = 0;
        // Each pass marks what it mailed, so the next finds only people with newer notifications;
        // the bound keeps a steady stream of them from holding the caller.
        for _ in 0..100 {
            let due = self.store.digests_due(digest::USERS_PER_PASS).await?;
            if due.is_empty() {
                break;
            }
            for one in &due {
                let mail = writer.write(one);
                self.store
                    .queue_digest(one, &mail, self.clock.now())
                    .await?;
                queued += 1;
            }
        }
        Ok(queued)
    }

    pub async fn unread(&self, user: &User) -> Result<u32, CommunityError> {
        Ok(self.store.unread_notifications(user.id).await?)
    }

    pub async fn mark_read(&self, user: &User) -> Result<(), CommunityError> {
        Ok(self
            .store
            .mark_notifications_read(user.id, self.clock.now())
            .await?)
    }

    /// Median seconds to a first answer, the share (per mille) answered within a day, and how many
    /// were asked, over questions asked in the last `days` days (staff and officers; `None` when
    /// nobody asked).
    pub async fn answer_speed(
        &self,
        user: &User,
        days: i64,
    ) -> Result<Option<(i64, i64, u32)>, CommunityError> {
        if !user.role.is_staff() && user.role != Role::LocalGov {
            return Err(CommunityError::Forbidden);
        }
        let now = self.clock.now();
        Ok(self
            .store
            .answer_speed(Timestamp::from_unix_ms(now.unix_ms() - days * DAY_MS), now)
            .await?)
    }

    // ---- moderation ----

    /// Flags a question (`answer: None`) or an answer (anyone signed in, not their own post,
    /// once). A post reaching `AUTO_HIDE_FLAGS` open flags is hidden until staff decide.
    pub async fn flag(
        &self,
        user: &User,
        actor: &Actor,
        question_id: i64,
        answer_id: Option<i64>,
        reason: &str,
        note: &str,
    ) -> Result<(), CommunityError> {
        self.not_suspended(user).await?;
        let question = self.visible_question(Some(user), question_id).await?;
        let author = match answer_id {
            None => question.author,
            Some(id) => {
                let answer = self
                    .store
                    .answer(id)
                    .await?
                    .ok_or(CommunityError::NotFound)?;
                if answer.question != question_id || answer.hidden_at.is_some() {
                    return Err(CommunityError::NotFound);
                }
                answer.author
            }
        };
        if author == user.id {
            return Err(invalid("reason", "error-community-own-flag"));
        }
        if self.trust(user).await? < TrustLevel::Member {
            return Err(invalid("reason", "error-community-trust-flag"));
        }
        let reason = FlagReason::parse(reason)
            .ok_or_else(|| invalid("reason", "error-community-flag-reason"))?;
        let note = crate::kernel::text::clean(note);
        if crate::kernel::text::longer_than(&note, 500) {
            return Err(invalid("note", "error-too-long"));
        }
        let now = self.clock.now();
        let open = match self
            .store
            .add_flag(
                question_id,
                answer_id.unwrap_or(0),
                user.id,
                reason.code(),
                &note,
                now,
            )
            .await
        {
            Err(StoreError::Conflict(_)) => {
                return Err(invalid("reason", "error-community-flagged-already"));
            }
            other => other?,
        };
        if open >= AUTO_HIDE_FLAGS {
            let subject = match answer_id {
                None => format!("question:{question_id}"),
                Some(id) => format!("answer:{id}"),
            };
            let audit = actor.entry(now, "community.auto-hide", subject, open.to_string());
            match answer_id {
                None if question.hidden_at.is_none() => {
                    self.store.hide_question(question_id, now, &audit).await?;
                    self.index.remove(PostKind::Question, question_id)?;
                }
                Some(id) => {
                    self.store.hide_answer(id, now, &audit).await?;
                    self.reindex_question(question_id).await?;
                }
                None => {}
            }
        }
        Ok(())
    }

    /// The question an answer belongs to (for addresses that name only the answer).
    pub async fn answer_question(&self, answer: i64) -> Result<i64, CommunityError> {
        Ok(self
            .store
            .answer(answer)
            .await?
            .ok_or(CommunityError::NotFound)?
            .question)
    }

    /// The review queue (staff): posts with open flags, hidden ones included.
    pub async fn flagged(&self, user: &User) -> Result<Vec<FlaggedPost>, CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let mut posts: Vec<FlaggedPost> = Vec::new();
        for (question, answer, reason, count, at) in self.store.open_flags(500).await? {
            let reason = FlagReason::parse(&reason).unwrap_or(FlagReason::Spam);
            if let Some(post) = posts
                .iter_mut()
                .find(|p| p.question == question && p.answer.unwrap_or(0) == answer)
            {
                post.reasons.push((reason, count));
                post.first_at = post.first_at.min(at);
                continue;
            }
            let Some(q) = self.store.question(question).await? else {
                continue;
            };
            let (body, author_name, hidden) = if answer == 0 {
                (q.body.clone(), q.author_name.clone(), q.hidden_at.is_some())
            } else {
                match self.store.answer(answer).await? {
                    Some(a) => (a.body, a.author_name, a.hidden_at.is_some()),
                    None => continue,
                }
            };
            posts.push(FlaggedPost {
                question,
                answer: (answer != 0).then_some(answer),
                title: q.title,
                body,
                author_name,
                hidden,
                reasons: vec![(reason, count)],
                first_at: at,
            });
        }
        for post in &mut posts {
            post.reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        }
        posts.sort_by_key(|p| p.first_at);
        Ok(posts)
    }

    /// Staff decide on a flagged (or any) post: hide it, or keep it (showing it again when it
    /// was hidden); the reason goes to the audit trail and the post's open flags close.
    pub async fn moderate(
        &self,
        user: &User,
        actor: &Actor,
        question_id: i64,
        answer_id: Option<i64>,
        hide: bool,
        reason: &str,
    ) -> Result<(), CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let question = self.visible_question(Some(user), question_id).await?;
        let reason = crate::kernel::text::clean(reason);
        if reason.trim().is_empty() {
            return Err(invalid("reason", "error-community-moderation-reason"));
        }
        let hidden = match answer_id {
            None => question.hidden_at.is_some(),
            Some(id) => {
                let answer = self
                    .store
                    .answer(id)
                    .await?
                    .ok_or(CommunityError::NotFound)?;
                if answer.question != question_id {
                    return Err(CommunityError::NotFound);
                }
                answer.hidden_at.is_some()
            }
        };
        let now = self.clock.now();
        let subject = match answer_id {
            None => format!("question:{question_id}"),
            Some(id) => format!("answer:{id}"),
        };
        let action = if hide {
            "community.moderate-hide"
        } else {
            "community.moderate-keep"
        };
        let audit = actor.entry(now, action, subject, reason);
        match (hide, hidden, answer_id) {
            (true, false, None) => self.store.hide_question(question_id, now, &audit).await?,
            (true, false, Some(id)) => self.store.hide_answer(id, now, &audit).await?,
            (false, true, _) => {
                self.store
                    .restore_post(question_id, answer_id.unwrap_or(0), &audit)
                    .await?
            }
            _ => self.store.append_audit(&audit).await?,
        }
        self.store
            .resolve_flags(
                question_id,
                answer_id.unwrap_or(0),
                user.id,
                if hide { "hidden" } else { "kept" },
                now,
            )
            .await?;
        self.reindex_question(question_id).await
    }

    /// Staff stop an account from posting for `days` (1–365) with a reason; staff accounts
    /// cannot be suspended.
    pub async fn suspend(
        &self,
        user: &User,
        actor: &Actor,
        target: UserId,
        days: i64,
        reason: &str,
    ) -> Result<Timestamp, CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let account = self
            .store
            .user(target)
            .await?
            .ok_or(CommunityError::NotFound)?;
        let mut errors = ValidationErrors::new();
        if account.role.is_staff() {
            errors.push("user_id", "error-community-suspend-staff");
        }
        if !(1..=365).contains(&days) {
            errors.push("days", "error-community-suspend-days");
        }
        let reason = crate::kernel::text::clean(reason);
        if reason.trim().is_empty() {
            errors.push("reason", "error-community-moderation-reason");
        }
        errors.into_result().map_err(CommunityError::Invalid)?;
        let now = self.clock.now();
        let until = Timestamp::from_unix_ms(now.unix_ms() + days * DAY_MS);
        let audit = actor.entry(
            now,
            "community.suspend",
            format!("user:{}", target.0),
            format!("{days}d: {reason}"),
        );
        self.store
            .suspend(target, until, &reason, user.id, &audit)
            .await?;
        Ok(until)
    }

    /// Staff lift a suspension early (nothing to do when there is none).
    pub async fn lift_suspension(
        &self,
        user: &User,
        actor: &Actor,
        target: UserId,
    ) -> Result<(), CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        // Lifting what is not there changes nothing (a repeated DELETE answers the same).
        if self.store.suspension(target).await?.is_none() {
            return Ok(());
        }
        let audit = actor.entry(
            self.clock.now(),
            "community.unsuspend",
            format!("user:{}", target.0),
            "",
        );
        Ok(self.store.lift_suspension(target, &audit).await?)
    }

    // ---- mentors ----

    /// A hall-of-fame owner offers to mentor, with a short note (what they can help with).
    pub async fn offer_mentoring(
        &self,
        user: &User,
        actor: &Actor,
        note: &str,
    ) -> Result<(), CommunityError> {
        let shop = self
            .store
            .merchant_of_owner(user.id)
            .await?
            .ok_or_else(|| invalid("account", "error-community-mentor-hall-of-fame"))?;
        let member = self
            .store
            .hall_of_fame(Some(&shop.region), None)
            .await?
            .iter()
            .any(|m| m.merchant == shop.id);
        if !member {
            return Err(invalid("account", "error-community-mentor-hall-of-fame"));
        }
        let mut errors = ValidationErrors::new();
        let note = checked_text(&mut errors, "note", note, 5, 300, true);
        errors.into_result().map_err(CommunityError::Invalid)?;
        let now = self.clock.now();
        let audit = actor.entry(now, "community.mentor", format!("user:{}", user.id.0), "");
        Ok(self
            .store
            .set_mentoring(user.id, Some(&note), now, &audit)
            .await?)
    }

    /// Whether `user` may offer to mentor (their shop is in the hall of fame).
    pub async fn may_mentor(&self, user: &User) -> Result<bool, CommunityError> {
        self.in_hall_of_fame(user.id).await
    }

    /// Stops offering to mentor (requests already accepted stay).
    pub async fn withdraw_mentoring(
        &self,
        user: &User,
        actor: &Actor,
    ) -> Result<(), CommunityError> {
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "community.mentor-withdraw",
            format!("user:{}", user.id.0),
            "",
        );
        Ok(self.store.set_mentoring(user.id, None, now, &audit).await?)
    }

    /// The owners offering to mentor (public).
    pub async fn mentors(&self) -> Result<Vec<Mentor>, CommunityError> {
        Ok(self.store.mentors().await?)
    }

    /// A merchant asks a mentor (once per mentor, not themselves).
    pub async fn request_mentor(
        &self,
        user: &User,
        actor: &Actor,
        mentor: UserId,
        message: &str,
    ) -> Result<MentorRequest, CommunityError> {
        if user.role != Role::Merchant {
            return Err(CommunityError::Forbidden);
        }
        self.not_suspended(user).await?;
        if mentor == user.id {
            return Err(invalid("mentor", "error-community-mentor-self"));
        }
        if !self.store.mentors().await?.iter().any(|m| m.user == mentor) {
            return Err(CommunityError::NotFound);
        }
        let mut errors = ValidationErrors::new();
        let message = checked_text(&mut errors, "message", message, 5, 1000, true);
        errors.into_result().map_err(CommunityError::Invalid)?;
        let message = text::mask_personal_data(&message).text;
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "community.mentor-request",
            format!("user:{}", mentor.0),
            "",
        );
        match self
            .store
            .request_mentor(mentor, user.id, &message, now, &audit)
            .await
        {
            Err(StoreError::Conflict(_)) => Err(invalid("mentor", "error-community-mentor-asked")),
            other => Ok(other?),
        }
    }

    /// The reader's mentoring: requests to them (as a mentor) and from them.
    pub async fn mentoring(&self, user: &User) -> Result<Vec<MentorRequest>, CommunityError> {
        Ok(self.store.mentor_requests_of(user.id).await?)
    }

    /// The mentor accepts or declines a waiting request.
    pub async fn answer_mentor_request(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        accept: bool,
    ) -> Result<(), CommunityError> {
        let request = self
            .store
            .mentor_request(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        if request.mentor != user.id {
            return Err(CommunityError::NotFound);
        }
        if request.accepted.is_some() {
            return Err(invalid("request", "error-community-mentor-answered"));
        }
        let now = self.clock.now();
        let audit = actor.entry(
            now,
            "community.mentor-answer",
            format!("mentor-request:{id}"),
            if accept { "accepted" } else { "declined" },
        );
        Ok(self
            .store
            .answer_mentor_request(id, accept, now, &audit)
            .await?)
    }

    // ---- search and help ----

    async fn resolve(&self, hits: &[(PostKind, i64)]) -> Result<Vec<Post>, CommunityError> {
        let mut items = Vec::with_capacity(hits.len());
        for (kind, id) in hits {
            match kind {
                PostKind::Question => {
                    if let Some(q) = self.store.question(*id).await?
                        && q.hidden_at.is_none()
                    {
                        items.push(Post::Question(q));
                    }
                }
                PostKind::Article => {
                    if let Some(a) = self.store.article(*id).await?
                        && a.status == ArticleStatus::Published
                    {
                        items.push(Post::Article(a));
                    }
                }
            }
        }
        Ok(items)
    }

    /// Searches questions and published articles (public).
    pub async fn search(&self, query: &PostQuery) -> Result<Posts, CommunityError> {
        let mut query = query.clone();
        query.limit = query.limit.clamp(1, MAX_PAGE);
        let hits = self.index.search(&query)?;
        Ok(Posts {
            items: self.resolve(&hits.hits).await?,
            total: hits.total,
            total_exact: hits.total_exact,
        })
    }

    /// Questions and articles like a title being typed (at most five).
    pub async fn similar(&self, title: &str) -> Result<Vec<Post>, CommunityError> {
        if crate::kernel::text::char_len(title.trim()) < 2 {
            return Ok(Vec::new());
        }
        let hits = self.index.search(&PostQuery {
            text: title.to_owned(),
            limit: 5,
            without_total: true,
            ..PostQuery::default()
        })?;
        self.resolve(&hits.hits).await
    }

    /// Help at the moment of an error: the solved questions and articles about `error_code`
    /// (on `channel` first, then on any marketplace), at most `limit`.
    pub async fn help_for(
        &self,
        channel: Option<Channel>,
        error_code: &str,
        limit: u32,
    ) -> Result<Vec<Post>, CommunityError> {
        let code = error_code.trim();
        if code.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits = Vec::new();
        for channel in [channel, None] {
            let found = self.index.search(&PostQuery {
                error_code: Some(code.to_owned()),
                channel,
                solved_only: true,
                limit: limit.clamp(1, MAX_PAGE),
                ..PostQuery::default()
            })?;
            for hit in found.hits {
                if !hits.contains(&hit) && hits.len() < limit as usize {
                    hits.push(hit);
                }
            }
            if channel.is_none() {
                break;
            }
        }
        self.resolve(&hits).await
    }

    /// A member's reputation, answers and badges.
    pub async fn standing(&self, user: UserId) -> Result<Standing, CommunityError> {
        let events = self.store.reputation_events(user).await?;
        let (answers, accepted) = self.store.answer_counts(user).await?;
        let hall_of_fame = self.in_hall_of_fame(user).await?;
        let trust = match self.store.user(user).await? {
            Some(account) => {
                self.trust_of(&account, answers, accepted, hall_of_fame)
                    .await?
            }
            None => TrustLevel::New,
        };
        Ok(Standing {
            reputation: reputation(&events),
            answers,
            accepted,
            trust,
            badges: badges(answers, accepted, hall_of_fame),
        })
    }

    async fn in_hall_of_fame(&self, user: UserId) -> Result<bool, CommunityError> {
        Ok(match self.store.merchant_of_owner(user).await? {
            Some(shop) => self
                .store
                .hall_of_fame(Some(&shop.region), None)
                .await?
                .iter()
                .any(|m| m.merchant == shop.id),
            None => false,
        })
    }

    async fn trust_of(
        &self,
        user: &User,
        answers: u32,
        accepted: u32,
        hall_of_fame: bool,
    ) -> Result<TrustLevel, CommunityError> {
        let asked = self
            .store
            .questions(&QuestionFilter {
                author: Some(user.id),
                limit: 1,
                ..QuestionFilter::default()
            })
            .await?
            .len() as u32;
        let age_days = (self.clock.now().unix_ms() - user.created_at.unix_ms()) / DAY_MS;
        Ok(TrustLevel::of(
            user.role.is_staff(),
            age_days,
            asked + answers,
            answers,
            accepted,
            hall_of_fame,
        ))
    }

    /// How far the community trusts `user` now (re-evaluated on every call).
    pub async fn trust(&self, user: &User) -> Result<TrustLevel, CommunityError> {
        if user.role.is_staff() {
            return Ok(TrustLevel::Staff);
        }
        let (answers, accepted) = self.store.answer_counts(user.id).await?;
        let hall_of_fame = self.in_hall_of_fame(user.id).await?;
        self.trust_of(user, answers, accepted, hall_of_fame).await
    }

    /// Whether `user` may put photos in posts now: from the member level up (new accounts post
    /// text only, like their links); refused by the `photo` field.
    pub async fn may_add_photos(&self, user: &User) -> Result<(), CommunityError> {
        self.not_suspended(user).await?;
        if self.trust(user).await? == TrustLevel::New {
            return Err(invalid("photo", "error-community-photo-trust"));
        }
        Ok(())
    }

    /// The body as it is kept — links as plain text for accounts not yet trusted with them —
    /// and its safe HTML, cooked once here for every later reading.
    async fn cooked(&self, user: &User, body: String) -> Result<(String, String), CommunityError> {
        let kept = if self.trust(user).await? == TrustLevel::New {
            text::unlinked(&body)
        } else {
            body
        };
        let html = text::render_markdown(&kept);
        Ok((kept, html))
    }

    // ---- articles ----

    fn article_text(input: &ArticleInput) -> Result<(ArticleText, bool), CommunityError> {
        let question = QuestionInput {
            title: input.title.clone(),
            body: input.body.clone(),
            topic: input.topic.clone(),
            channel: input.channel.clone(),
            error_code: input.error_code.clone(),
        }
        .validate()
        .map_err(CommunityError::Invalid)?;
        let title = text::mask_personal_data(&question.title);
        let body = text::mask_personal_data(&question.body);
        Ok((
            ArticleText {
                title: title.text,
                body: body.text,
                body_html: String::new(),
                topic: question.topic,
                channel: question.channel,
                error_code: question.error_code,
            },
            title.found || body.found,
        ))
    }

    /// Writes a draft (staff, designers and merchants).
    pub async fn write_article(
        &self,
        user: &User,
        actor: &Actor,
        input: &ArticleInput,
    ) -> Result<(Article, bool), CommunityError> {
        if !matches!(
            user.role,
            Role::Merchant | Role::Designer | Role::Operator | Role::Admin
        ) {
            return Err(CommunityError::Forbidden);
        }
        let (mut text, masked) = Self::article_text(input)?;
        self.not_suspended(user).await?;
        (text.body, text.body_html) = self.cooked(user, text.body).await?;
        let now = self.clock.now();
        let audit = actor.entry(now, "community.article", "article:new", "");
        let name = self.author_name(user).await?;
        let article = self
            .store
            .create_article(user.id, &name, &text, now, &audit)
            .await?;
        Ok((article, masked))
    }

    /// An article: published ones for everyone (each read counted), others for their author and
    /// staff.
    pub async fn article(&self, viewer: Option<&User>, id: i64) -> Result<Article, CommunityError> {
        let mut article = self
            .store
            .article(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        let own = viewer.is_some_and(|u| u.id == article.author || u.role.is_staff());
        if article.status != ArticleStatus::Published && !own {
            return Err(CommunityError::NotFound);
        }
        if article.status == ArticleStatus::Published && !own {
            self.store.count_article_read(id).await?;
            article.reads += 1;
        }
        Ok(article)
    }

    /// Published articles newest first; with a user, also their own drafts (staff: every
    /// article waiting for review).
    pub async fn articles(&self, viewer: Option<&User>) -> Result<Vec<Article>, CommunityError> {
        let mut list = self
            .store
            .articles(Some(ArticleStatus::Published), None, 100)
            .await?;
        if let Some(user) = viewer {
            let extra = if user.role.is_staff() {
                self.store
                    .articles(Some(ArticleStatus::InReview), None, 100)
                    .await?
            } else {
                self.store
                    .articles(None, Some(user.id), 100)
                    .await?
                    .into_iter()
                    .filter(|a| a.status != ArticleStatus::Published)
                    .collect()
            };
            list.splice(0..0, extra);
        }
        Ok(list)
    }

    /// Saves a new version (the author, staff, or — on a published article — a regular, as a
    /// wiki); a published article goes back to review when its author edits it, unless staff.
    pub async fn edit_article(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        input: &ArticleInput,
    ) -> Result<bool, CommunityError> {
        let article = self.article(Some(user), id).await?;
        // Regulars edit others' published articles, as a wiki; drafts stay their author's.
        let wiki_edit = user.id != article.author
            && !user.role.is_staff()
            && article.status == ArticleStatus::Published
            && self.trust(user).await? >= TrustLevel::Regular;
        if user.id != article.author && !user.role.is_staff() && !wiki_edit {
            return Err(CommunityError::Forbidden);
        }
        let (mut text, masked) = Self::article_text(input)?;
        (text.body, text.body_html) = self.cooked(user, text.body).await?;
        let now = self.clock.now();
        let audit = actor.entry(now, "community.article-edit", format!("article:{id}"), "");
        self.store
            .edit_article(id, &text, user.id, now, &audit)
            .await?;
        // The author's own change to a published article goes back to review; staff's and a
        // regular's wiki edit stay published.
        if article.status == ArticleStatus::Published && !user.role.is_staff() && !wiki_edit {
            let audit = actor.entry(now, "community.article-review", format!("article:{id}"), "");
            self.store
                .set_article_status(id, ArticleStatus::InReview, now, &audit)
                .await?;
            self.index.remove(PostKind::Article, id)?;
        } else if article.status == ArticleStatus::Published
            && let Some(updated) = self.store.article(id).await?
        {
            self.index.upsert(&article_document(&updated))?;
        }
        Ok(masked)
    }

    /// The author sends a draft for review.
    pub async fn submit_article(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
    ) -> Result<(), CommunityError> {
        let article = self.article(Some(user), id).await?;
        if user.id != article.author {
            return Err(CommunityError::Forbidden);
        }
        if article.status != ArticleStatus::Draft {
            return Err(invalid("status", "error-community-article-status"));
        }
        let now = self.clock.now();
        let audit = actor.entry(now, "community.article-review", format!("article:{id}"), "");
        Ok(self
            .store
            .set_article_status(id, ArticleStatus::InReview, now, &audit)
            .await?)
    }

    /// Staff publish an article in review (or their own draft), or send it back to draft.
    pub async fn review_article(
        &self,
        user: &User,
        actor: &Actor,
        id: i64,
        publish: bool,
    ) -> Result<(), CommunityError> {
        if !user.role.is_staff() {
            return Err(CommunityError::Forbidden);
        }
        let article = self
            .store
            .article(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        let allowed = article.status == ArticleStatus::InReview
            || (article.status == ArticleStatus::Draft && article.author == user.id);
        if !allowed {
            return Err(invalid("status", "error-community-article-status"));
        }
        let now = self.clock.now();
        let (status, action) = if publish {
            (ArticleStatus::Published, "community.article-publish")
        } else {
            (ArticleStatus::Draft, "community.article-return")
        };
        let audit = actor.entry(now, action, format!("article:{id}"), "");
        self.store
            .set_article_status(id, status, now, &audit)
            .await?;
        if publish && let Some(published) = self.store.article(id).await? {
            self.index.upsert(&article_document(&published))?;
        }
        Ok(())
    }

    /// "도움이 됐어요" on a published article, once per account (not the author's own).
    pub async fn helpful(&self, user: &User, id: i64) -> Result<(), CommunityError> {
        let article = self
            .store
            .article(id)
            .await?
            .ok_or(CommunityError::NotFound)?;
        if article.status != ArticleStatus::Published {
            return Err(CommunityError::NotFound);
        }
        if article.author == user.id {
            return Err(invalid("helpful", "error-community-own-vote"));
        }
        if !self
            .store
            .mark_helpful(id, user.id, self.clock.now())
            .await?
        {
            return Err(invalid("helpful", "error-community-voted-already"));
        }
        Ok(())
    }
}

fn question_document(question: &Question, answers: &[Answer]) -> PostDocument {
    let mut body = question.body.clone();
    for a in answers
        .iter()
        .filter(|a| a.accepted_at.is_some() && a.hidden_at.is_none())
    {
        body.push('\n');
        body.push_str(&a.body);
    }
    PostDocument {
        kind: PostKind::Question,
        id: question.id,
        title: question.title.clone(),
        body,
        topic: question.topic.code().to_owned(),
        channel: question.channel,
        error_code: question.error_code.clone(),
        solved: question.solved_at.is_some(),
        created_at: question.created_at,
    }
}

fn article_document(article: &Article) -> PostDocument {
    PostDocument {
        kind: PostKind::Article,
        id: article.id,
        title: article.title.clone(),
        body: article.body.clone(),
        topic: article.topic.code().to_owned(),
        channel: article.channel,
        error_code: article.error_code.clone(),
        solved: true,
        created_at: article.published_at.unwrap_or(article.created_at),
    }
}

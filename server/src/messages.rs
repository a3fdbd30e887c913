//! Every sentence the API says to a person about a refused or failed request, in English and
//! Russian, each saying how to put it right; and the language a request asks for.
//!
//! The texts live here, together, so they can be reviewed and translated in one place; the statuses
//! and codes beside them (in `error` and `settings`) are what programs match on. The messages about
//! invalid input that the browser app shows as well are in `mail_core::messages`.

use axum::http::HeaderValue;
use mail_core::{Counted, Lang, quoted};

use crate::error::Problem;
use crate::settings::ServiceListError;

/// The language of a request's `Accept-Language` header: Russian when it prefers Russian to
/// English, else English (also without the header).
pub fn request_lang(accept_language: Option<&HeaderValue>) -> Lang {
    let header = accept_language.and_then(|v| v.to_str().ok()).unwrap_or("");
    Lang::from_accept_language(header)
}

/// "Try again in 15 minutes": the accusative after "через" in Russian.
const MINUTES: Counted = Counted {
    en: ["minute", "minutes"],
    ru: ["минуту", "минуты", "минут"],
};

/// The last sentence of both cross-site refusals.
fn how_to_fix_origin(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Open the app at this server's own address and try again. An administrator running it \
             behind a reverse proxy should pass the original Host header on (or set X-Forwarded-Host)."
        }
        Lang::Ru => {
            "Откройте приложение по собственному адресу этого сервера и повторите попытку. Если \
             сервер работает за обратным прокси, администратору нужно передавать исходный заголовок \
             Host (или задать X-Forwarded-Host)."
        }
    }
}

/// A sentence followed by the technical words of the JSON parser or router, when there are any:
/// they say exactly what is wrong, in the only language they come in.
fn with_detail(text: &str, detail: Option<&str>, lang: Lang) -> String {
    match (detail.map(|d| d.trim_end_matches('.')), lang) {
        (None, _) => text.to_owned(),
        (Some(detail), Lang::En) => format!("{text} Details: {detail}."),
        (Some(detail), Lang::Ru) => format!("{text} Подробности: {detail}."),
    }
}

impl Problem {
    /// The `message` of the answer's body.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::SignInRequired, Lang::En) => {
                "You are not signed in, or your session has ended. Sign in to continue.".to_owned()
            }
            (Problem::SignInRequired, Lang::Ru) => {
                "Вы не вошли в систему или ваш сеанс завершился. Войдите, чтобы продолжить.".to_owned()
            }
            (Problem::WrongCredentials, Lang::En) => {
                "The login or the password is wrong. Check both and try again.".to_owned()
            }
            (Problem::WrongCredentials, Lang::Ru) => {
                "Неверный логин или пароль. Проверьте оба и попробуйте снова.".to_owned()
            }
            (Problem::TooManySignInAttempts { retry_after_seconds }, Lang::En) => format!(
                "Too many failed sign-in attempts for this login. Try again in {}, or ask an \
                 administrator to reset your password.",
                MINUTES.count(minutes(*retry_after_seconds), lang)
            ),
            (Problem::TooManySignInAttempts { retry_after_seconds }, Lang::Ru) => format!(
                "Слишком много неудачных попыток входа с этим логином. Повторите попытку через {} \
                 или попросите администратора сбросить пароль.",
                MINUTES.count(minutes(*retry_after_seconds), lang)
            ),
            (Problem::TooManySignInAttemptsFromClient { retry_after_seconds }, Lang::En) => {
                format!(
                    "Too many failed sign-in attempts from your network address. Try again in {}, \
                     or ask an administrator to clear the lock-out.",
                    MINUTES.count(minutes(*retry_after_seconds), lang)
                )
            }
            (Problem::TooManySignInAttemptsFromClient { retry_after_seconds }, Lang::Ru) => {
                format!(
                    "Слишком много неудачных попыток входа с вашего сетевого адреса. Повторите \
                     попытку через {} или попросите администратора снять блокировку.",
                    MINUTES.count(minutes(*retry_after_seconds), lang)
                )
            }
            (Problem::SignInBusy, Lang::En) => {
                "Many people are signing in right now. Try again in a few seconds.".to_owned()
            }
            (Problem::SignInBusy, Lang::Ru) => {
                "Сейчас слишком много людей одновременно входят в систему. Повторите попытку через \
                 несколько секунд."
                    .to_owned()
            }
            (Problem::AdminOnly, Lang::En) => {
                "Only administrators can do this. Ask an administrator if you need it changed."
                    .to_owned()
            }
            (Problem::AdminOnly, Lang::Ru) => {
                "Это доступно только администраторам. Если нужно что-то изменить, обратитесь к \
                 администратору."
                    .to_owned()
            }
            (Problem::VersionRequired, Lang::En) => {
                "Send the version you edited in If-Match (the ETag of GET /api/admin/settings), so \
                 that nobody's changes are overwritten."
                    .to_owned()
            }
            (Problem::VersionRequired, Lang::Ru) => {
                "Передайте в заголовке If-Match версию, которую вы изменяли (ETag ответа на GET \
                 /api/admin/settings), чтобы ничьи изменения не были перезаписаны."
                    .to_owned()
            }
            (Problem::VersionUnreadable, Lang::En) => {
                "If-Match does not name a version of these settings. Reload the settings and try \
                 again."
                    .to_owned()
            }
            (Problem::VersionUnreadable, Lang::Ru) => {
                "В заголовке If-Match нет версии этих настроек. Загрузите настройки заново и \
                 повторите попытку."
                    .to_owned()
            }
            (Problem::StaleVersion, Lang::En) => {
                "Another administrator saved these settings after you opened the page. Your changes \
                 are not saved yet: reload the current settings, then apply your changes again."
                    .to_owned()
            }
            (Problem::StaleVersion, Lang::Ru) => {
                "Другой администратор сохранил настройки сервисов после того, как вы открыли \
                 страницу. Ваши изменения ещё не сохранены: загрузите текущие настройки и внесите \
                 изменения снова."
                    .to_owned()
            }
            (Problem::ServiceDeleted, Lang::En) => {
                "This email service is no longer offered: your administrator removed it. Choose \
                 another service."
                    .to_owned()
            }
            (Problem::ServiceDeleted, Lang::Ru) => {
                "Этот почтовый сервис больше недоступен: администратор удалил его. Выберите другой \
                 почтовый сервис."
                    .to_owned()
            }
            (Problem::ServiceHidden, Lang::En) => {
                "Your administrator has hidden this email service, so no new mailbox can be \
                 connected through it. Choose another service."
                    .to_owned()
            }
            (Problem::ServiceHidden, Lang::Ru) => {
                "Администратор скрыл этот почтовый сервис, поэтому подключить через него новый \
                 почтовый ящик нельзя. Выберите другой почтовый сервис."
                    .to_owned()
            }
            (Problem::ManualEntryNotAllowed, Lang::En) => {
                "Your administrator has turned off “Allow entering details of the mail server \
                 manually”, so “Other” is not available. Choose an email service from the list."
                    .to_owned()
            }
            (Problem::ManualEntryNotAllowed, Lang::Ru) => {
                "Администратор отключил настройку «Разрешить вводить реквизиты почтового сервера \
                 вручную», поэтому опция «Другой» недоступна. Выберите почтовый сервис из списка."
                    .to_owned()
            }
            (Problem::AlreadyConnected, Lang::En) => {
                "This mailbox is already connected. Disconnect it first if you want to connect it \
                 differently."
                    .to_owned()
            }
            (Problem::AlreadyConnected, Lang::Ru) => {
                "Этот почтовый ящик уже подключён. Чтобы подключить его по-другому, сначала \
                 отключите его."
                    .to_owned()
            }
            (Problem::NoSuchEndpoint, Lang::En) => {
                "There is no such API endpoint. Check the path against /api/openapi.json."
                    .to_owned()
            }
            (Problem::NoSuchEndpoint, Lang::Ru) => {
                "Такого адреса в API нет. Сверьте путь с описанием /api/openapi.json.".to_owned()
            }
            (Problem::MailboxNotFound, Lang::En) => {
                "This mailbox is not among yours: it may have been disconnected already. Reload \
                 the list of your mailboxes."
                    .to_owned()
            }
            (Problem::MailboxNotFound, Lang::Ru) => {
                "Этого почтового ящика нет среди ваших: возможно, он уже отключён. Обновите список \
                 почтовых ящиков."
                    .to_owned()
            }
            (Problem::ServiceNotFound, Lang::En) => {
                "This email service was not found: another administrator may have deleted it. \
                 Reload the settings."
                    .to_owned()
            }
            (Problem::ServiceNotFound, Lang::Ru) => {
                "Этот почтовый сервис не найден: возможно, его удалил другой администратор. \
                 Загрузите настройки заново."
                    .to_owned()
            }
            (Problem::MethodNotAllowed, Lang::En) => {
                "This endpoint does not accept that HTTP method. /api/openapi.json lists the \
                 methods it accepts."
                    .to_owned()
            }
            (Problem::MethodNotAllowed, Lang::Ru) => {
                "Этот адрес API не принимает такой HTTP-метод. Допустимые методы описаны в \
                 /api/openapi.json."
                    .to_owned()
            }
            (Problem::CrossSiteFetch { site }, Lang::En) => format!(
                "The browser says this request comes from another site (Sec-Fetch-Site: {site}), so \
                 it was refused to protect your session. {}",
                how_to_fix_origin(lang)
            ),
            (Problem::CrossSiteFetch { site }, Lang::Ru) => format!(
                "Браузер сообщает, что запрос пришёл с другого сайта (Sec-Fetch-Site: {site}), \
                 поэтому он отклонён для защиты вашего сеанса. {}",
                how_to_fix_origin(lang)
            ),
            (Problem::CrossSiteOrigin { origin, own_host }, Lang::En) => format!(
                "This request comes from {origin}, which is not this server ({}), so it was refused \
                 to protect your session. {}",
                own_host.as_deref().unwrap_or("no Host header"),
                how_to_fix_origin(lang)
            ),
            (Problem::CrossSiteOrigin { origin, own_host }, Lang::Ru) => format!(
                "Запрос пришёл с {origin}, а это не этот сервер ({}), поэтому он отклонён для защиты \
                 вашего сеанса. {}",
                own_host.as_deref().unwrap_or("без заголовка Host"),
                how_to_fix_origin(lang)
            ),
            (Problem::NotJson { content_type }, Lang::En) => match content_type {
                Some(content_type) => format!(
                    "Send the body as JSON with Content-Type: application/json (this request has \
                     Content-Type: {content_type})."
                ),
                None => "Send the body as JSON with Content-Type: application/json (this request \
                         has no Content-Type)."
                    .to_owned(),
            },
            (Problem::NotJson { content_type }, Lang::Ru) => match content_type {
                Some(content_type) => format!(
                    "Отправьте тело запроса в формате JSON с заголовком Content-Type: \
                     application/json (у этого запроса Content-Type: {content_type})."
                ),
                None => "Отправьте тело запроса в формате JSON с заголовком Content-Type: \
                         application/json (у этого запроса нет заголовка Content-Type)."
                    .to_owned(),
            },
            (Problem::PayloadTooLarge, Lang::En) => {
                "The request body is larger than the server accepts. Send a smaller one.".to_owned()
            }
            (Problem::PayloadTooLarge, Lang::Ru) => {
                "Тело запроса больше, чем принимает сервер. Отправьте запрос меньшего размера."
                    .to_owned()
            }
            (Problem::UnexpectedJson { detail }, Lang::En) => with_detail(
                "The request body lacks a field this endpoint expects, or a field has the wrong \
                 type. Send the body /api/openapi.json describes.",
                detail.as_deref(),
                lang,
            ),
            (Problem::UnexpectedJson { detail }, Lang::Ru) => with_detail(
                "В теле запроса нет поля, которое ожидает этот адрес API, или у поля не тот тип. \
                 Отправьте тело запроса в том виде, как описано в /api/openapi.json.",
                detail.as_deref(),
                lang,
            ),
            (Problem::MalformedRequest { detail }, Lang::En) => with_detail(
                "The request could not be read. Check that the body is valid JSON and the path is \
                 one /api/openapi.json describes.",
                detail.as_deref(),
                lang,
            ),
            (Problem::MalformedRequest { detail }, Lang::Ru) => with_detail(
                "Не удалось разобрать запрос. Проверьте, что тело запроса — корректный JSON, а путь \
                 соответствует описанию в /api/openapi.json.",
                detail.as_deref(),
                lang,
            ),
            (Problem::RequestTimeout, Lang::En) => {
                "The request took too long to arrive or to answer, and the server stopped waiting. \
                 Check your connection and try again."
                    .to_owned()
            }
            (Problem::RequestTimeout, Lang::Ru) => {
                "Запрос слишком долго передавался или обрабатывался, и сервер перестал его ждать. \
                 Проверьте подключение и повторите попытку."
                    .to_owned()
            }
            (Problem::DatabaseBusy, Lang::En) => {
                "The server is busy with other changes right now. Wait a moment and try again."
                    .to_owned()
            }
            (Problem::DatabaseBusy, Lang::Ru) => {
                "Сервер сейчас занят другими изменениями. Подождите немного и повторите попытку."
                    .to_owned()
            }
            (Problem::Internal, Lang::En) => {
                "The server could not complete the request. Try again; if it keeps failing, ask \
                 your administrator to check the server log."
                    .to_owned()
            }
            (Problem::Internal, Lang::Ru) => {
                "Серверу не удалось выполнить запрос. Повторите попытку; если ошибка не исчезнет, \
                 попросите администратора проверить журнал сервера."
                    .to_owned()
            }
        }
    }
}

/// Whole minutes, rounded up so that trying again then is never too early; at least one.
fn minutes(seconds: u64) -> u64 {
    seconds.div_ceil(60).max(1)
}

impl ServiceListError {
    /// The message beside the field of the 422 answer.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ServiceListError::Duplicate { id }, Lang::En) => {
                format!(
                    "Service {id} is listed twice. Reload the page and make your changes again."
                )
            }
            (ServiceListError::Duplicate { id }, Lang::Ru) => format!(
                "Почтовый сервис {id} указан в списке дважды. Обновите страницу и внесите изменения \
                 снова."
            ),
            (ServiceListError::Unknown { id }, Lang::En) => format!(
                "Service {id} no longer exists; another administrator may have deleted it. Reload \
                 the page."
            ),
            (ServiceListError::Unknown { id }, Lang::Ru) => format!(
                "Почтового сервиса {id} больше нет: возможно, его удалил другой администратор. \
                 Обновите страницу."
            ),
            (ServiceListError::StandardEdited, Lang::En) => {
                "Standard services can only be hidden or shown, not edited. To use other servers, \
                 hide it and add a corporate server."
                    .to_owned()
            }
            (ServiceListError::StandardEdited, Lang::Ru) => {
                "Стандартный почтовый сервис можно только скрыть или показать, но не изменить. \
                 Чтобы использовать другие серверы, скройте его и добавьте сервер корпоративной \
                 почты."
                    .to_owned()
            }
            (ServiceListError::CorporateAsStandard { id }, Lang::En) => format!(
                "Service {id} is a corporate server, not a standard service. Reload the page and \
                 make your changes again."
            ),
            (ServiceListError::CorporateAsStandard { id }, Lang::Ru) => format!(
                "Почтовый сервис {id} — корпоративный сервер, а не стандартный сервис. Обновите \
                 страницу и внесите изменения снова."
            ),
            (ServiceListError::StandardMissing { name }, Lang::En) => format!(
                "The standard service {} cannot be deleted. Hide it instead.",
                quoted(name, lang)
            ),
            (ServiceListError::StandardMissing { name }, Lang::Ru) => format!(
                "Стандартный почтовый сервис {} нельзя удалить. Вместо этого скройте его.",
                quoted(name, lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::mem::discriminant;

    use super::*;

    /// One of each problem.
    fn every_problem() -> Vec<Problem> {
        vec![
            Problem::SignInRequired,
            Problem::WrongCredentials,
            Problem::TooManySignInAttempts {
                retry_after_seconds: 900,
            },
            Problem::TooManySignInAttemptsFromClient {
                retry_after_seconds: 900,
            },
            Problem::SignInBusy,
            Problem::AdminOnly,
            Problem::VersionRequired,
            Problem::VersionUnreadable,
            Problem::StaleVersion,
            Problem::ServiceDeleted,
            Problem::ServiceHidden,
            Problem::ManualEntryNotAllowed,
            Problem::AlreadyConnected,
            Problem::NoSuchEndpoint,
            Problem::MailboxNotFound,
            Problem::ServiceNotFound,
            Problem::MethodNotAllowed,
            Problem::CrossSiteFetch {
                site: "cross-site".to_owned(),
            },
            Problem::CrossSiteOrigin {
                origin: "https://evil.example".to_owned(),
                own_host: Some("mail.example.com".to_owned()),
            },
            Problem::NotJson {
                content_type: Some("text/plain".to_owned()),
            },
            Problem::PayloadTooLarge,
            Problem::UnexpectedJson {
                detail: Some("missing field `login`".to_owned()),
            },
            Problem::MalformedRequest { detail: None },
            Problem::RequestTimeout,
            Problem::DatabaseBusy,
            Problem::Internal,
        ]
    }

    fn every_service_list_error() -> Vec<ServiceListError> {
        vec![
            ServiceListError::Duplicate { id: 7 },
            ServiceListError::Unknown { id: 7 },
            ServiceListError::StandardEdited,
            ServiceListError::CorporateAsStandard { id: 7 },
            ServiceListError::StandardMissing {
                name: "Gmail".to_owned(),
            },
        ]
    }

    fn has_cyrillic(text: &str) -> bool {
        text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    }

    /// Each message in both languages: English with no Russian in it, Russian (in Cyrillic) and not
    /// the English left untranslated, each a finished sentence with no placeholder left.
    fn assert_translated(en: &str, ru: &str) {
        assert!(!has_cyrillic(en), "English: {en}");
        assert!(has_cyrillic(ru), "Russian: {ru}");
        assert_ne!(en, ru);
        for text in [en, ru] {
            assert!(text.ends_with('.'), "a finished sentence: {text}");
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
            assert!(!text.contains("  "), "no doubled spaces: {text}");
        }
    }

    /// `examples` hold one of each of the `kinds` variants of their type, each said in both
    /// languages.
    fn assert_every_kind_translated<T>(
        examples: &[T],
        kinds: usize,
        message: impl Fn(&T, Lang) -> String,
    ) {
        let found: HashSet<_> = examples.iter().map(discriminant).collect();
        assert_eq!(found.len(), kinds, "one example of every kind");
        for example in examples {
            assert_translated(&message(example, Lang::En), &message(example, Lang::Ru));
        }
    }

    #[test]
    fn every_problem_is_said_in_english_and_russian() {
        assert_every_kind_translated(&every_problem(), 26, Problem::message);
    }

    #[test]
    fn every_service_list_error_is_said_in_english_and_russian() {
        assert_every_kind_translated(&every_service_list_error(), 5, ServiceListError::message);
    }

    #[test]
    fn problems_keep_their_codes_in_both_languages() {
        for problem in every_problem() {
            let (en, ru) = (problem.body(Lang::En), problem.body(Lang::Ru));
            assert_eq!(en.code, ru.code);
            assert!(
                en.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "snake_case: {}",
                en.code
            );
        }
    }

    #[test]
    fn the_wait_after_too_many_sign_ins_is_in_whole_minutes_with_their_plural_form() {
        let wait = |seconds, lang| {
            Problem::TooManySignInAttempts {
                retry_after_seconds: seconds,
            }
            .message(lang)
        };
        for (seconds, ru, en) in [
            (30, "через 1 минуту ", "in 1 minute,"),
            (60, "через 1 минуту ", "in 1 minute,"),
            (61, "через 2 минуты ", "in 2 minutes,"),
            (4 * 60, "через 4 минуты ", "in 4 minutes,"),
            (15 * 60, "через 15 минут ", "in 15 minutes,"),
            (21 * 60, "через 21 минуту ", "in 21 minutes,"),
        ] {
            assert!(
                wait(seconds, Lang::Ru).contains(ru),
                "{seconds} s: {}",
                wait(seconds, Lang::Ru)
            );
            assert!(
                wait(seconds, Lang::En).contains(en),
                "{seconds} s: {}",
                wait(seconds, Lang::En)
            );
        }
    }

    #[test]
    fn the_language_is_russian_only_when_the_request_prefers_it() {
        let lang = |value: &'static str| request_lang(Some(&HeaderValue::from_static(value)));
        assert_eq!(request_lang(None), Lang::En);
        assert_eq!(lang("ru"), Lang::Ru);
        assert_eq!(lang("ru-RU,ru;q=0.9,en;q=0.5"), Lang::Ru);
        assert_eq!(lang("en"), Lang::En);
        assert_eq!(lang("de"), Lang::En);
    }
}

use super::*;

const ALICE: &str = "alice";
const BOB: &str = "bob";

fn request(prompts: &[Prompt], max_age: Option<i64>, scopes: &[&str]) -> AuthorizationRequest {
    AuthorizationRequest {
        redirect_uri: "https://c.example/cb".into(),
        redirect_uri_sent: true,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        state: Some("S".into()),
        nonce: None,
        code_challenge: None,
        prompts: prompts.to_vec(),
        max_age,
        login_hint: None,
        id_token_hint: None,
        ui_locales: None,
        resource: None,
    }
}

fn session(age_secs: i64) -> Option<SignedIn<'static>> {
    Some(SignedIn::Session {
        user_id: ALICE,
        age_secs,
    })
}

const JUST_NOW: Option<SignedIn<'static>> = Some(SignedIn::JustNow { user_id: ALICE });
const ACCEPTED: Option<SignedIn<'static>> = Some(SignedIn::Accepted { user_id: ALICE });

struct Case {
    name: &'static str,
    prompts: &'static [Prompt],
    max_age: Option<i64>,
    scopes: &'static [&'static str],
    signed_in: Option<SignedIn<'static>>,
    hint: Hint,
    granted: Option<&'static [&'static str]>,
    first_party: bool,
    expected: Step,
}

/// A signed-in user with everything granted: the defaults each row changes.
const BASE: Case = Case {
    name: "",
    prompts: &[],
    max_age: None,
    scopes: &["openid", "profile"],
    signed_in: Some(SignedIn::Session {
        user_id: ALICE,
        age_secs: 10,
    }),
    hint: Hint::Absent,
    granted: Some(&["openid", "profile"]),
    first_party: false,
    expected: Step::Issue,
};

#[test]
fn next_step_table() {
    use Prompt::{Consent as PromptConsent, Login as PromptLogin, None as PromptNone};
    #[rustfmt::skip]
    let cases = [
        Case { name: "session, all granted: code", ..BASE },
        Case { name: "no session: login page", signed_in: None, granted: Some(&[]), expected: Step::Login, ..BASE },
        Case { name: "no session, prompt=none", signed_in: None, prompts: &[PromptNone], expected: Step::Error(LOGIN_REQUIRED), ..BASE },
        Case { name: "session, prompt=login", prompts: &[PromptLogin], expected: Step::Login, ..BASE },
        Case { name: "session within max_age", max_age: Some(11), ..BASE },
        Case { name: "session as old as max_age in whole seconds (maybe older)", max_age: Some(10), expected: Step::Login, ..BASE },
        Case { name: "session past max_age", max_age: Some(9), expected: Step::Login, ..BASE },
        Case { name: "max_age=0 in the second of the login is prompt=login", max_age: Some(0), signed_in: session(0), expected: Step::Login, ..BASE },
        Case { name: "max_age=0 with prompt=none", max_age: Some(0), signed_in: session(0), prompts: &[PromptNone], expected: Step::Error(LOGIN_REQUIRED), ..BASE },
        Case { name: "past max_age, prompt=none", max_age: Some(5), prompts: &[PromptNone], expected: Step::Error(LOGIN_REQUIRED), ..BASE },
        Case { name: "hint names the session's user", hint: Hint::Subject(ALICE.into()), ..BASE },
        Case { name: "hint names another user: login", hint: Hint::Subject(BOB.into()), expected: Step::Login, ..BASE },
        Case { name: "hint names another user, prompt=none", hint: Hint::Subject(BOB.into()), prompts: &[PromptNone], expected: Step::Error(LOGIN_REQUIRED), ..BASE },
        Case { name: "invalid hint with a session", hint: Hint::Invalid, expected: Step::Error(INVALID_HINT), ..BASE },
        Case { name: "invalid hint without a session", hint: Hint::Invalid, signed_in: None, expected: Step::Error(INVALID_HINT), ..BASE },
        Case { name: "invalid hint beats prompt=none", hint: Hint::Invalid, signed_in: None, prompts: &[PromptNone], expected: Step::Error(INVALID_HINT), ..BASE },
        Case { name: "scope not granted: consent", granted: Some(&["openid"]), expected: Step::Consent, ..BASE },
        Case { name: "nothing granted: consent", granted: Some(&[]), expected: Step::Consent, ..BASE },
        Case { name: "not granted, prompt=none", granted: Some(&[]), prompts: &[PromptNone], expected: Step::Error(CONSENT_REQUIRED), ..BASE },
        Case { name: "all granted, prompt=none: code", prompts: &[PromptNone], ..BASE },
        Case { name: "prompt=consent though granted", prompts: &[PromptConsent], expected: Step::Consent, ..BASE },
        Case { name: "first party skips consent", granted: Some(&[]), first_party: true, ..BASE },
        Case { name: "first party asks for offline_access", scopes: &["openid", "offline_access"], granted: Some(&["openid"]), first_party: true, expected: Step::Consent, ..BASE },
        Case { name: "granted offline_access is not asked again", scopes: &["openid", "offline_access"], granted: Some(&["openid", "offline_access"]), first_party: true, ..BASE },
        Case { name: "first party, prompt=consent", prompts: &[PromptConsent], first_party: true, expected: Step::Consent, ..BASE },
        Case { name: "just signed in, all granted", signed_in: JUST_NOW, ..BASE },
        Case { name: "just signed in, prompt=login is satisfied", signed_in: JUST_NOW, prompts: &[PromptLogin], ..BASE },
        Case { name: "just signed in, max_age=0 is satisfied", signed_in: JUST_NOW, max_age: Some(0), ..BASE },
        Case { name: "just signed in, consent needed", signed_in: JUST_NOW, granted: Some(&[]), expected: Step::Consent, ..BASE },
        Case { name: "just signed in as the named user", signed_in: JUST_NOW, hint: Hint::Subject(ALICE.into()), ..BASE },
        Case { name: "just signed in as another user than named", signed_in: JUST_NOW, hint: Hint::Subject(BOB.into()), expected: Step::Error(NOT_THE_NAMED_USER), ..BASE },
        Case { name: "just signed in, hint no longer verifies", signed_in: JUST_NOW, hint: Hint::Invalid, expected: Step::Error(NOT_THE_NAMED_USER), ..BASE },
        Case { name: "consent given now, prompt=consent", signed_in: ACCEPTED, granted: None, prompts: &[PromptConsent], ..BASE },
        Case { name: "consent given now, prompt=login and max_age=0 were met", signed_in: ACCEPTED, granted: None, prompts: &[PromptLogin], max_age: Some(0), ..BASE },
        Case { name: "accepted user, consent still missing", signed_in: ACCEPTED, granted: Some(&[]), expected: Step::Consent, ..BASE },
    ];
    for case in cases {
        let request = request(case.prompts, case.max_age, case.scopes);
        let browser = Browser {
            signed_in: case.signed_in,
            hint: case.hint,
        };
        let granted: Vec<String> = case
            .granted
            .unwrap_or_default()
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let consent = match case.granted {
            Some(_) => Consent::Granted(&granted),
            None => Consent::GivenNow,
        };
        let policy = FlowPolicy {
            first_party: case.first_party,
        };
        assert_eq!(
            next_step(&request, &browser, &consent, &policy),
            case.expected,
            "{}",
            case.name
        );
    }
}

#[test]
fn consents_are_needed_only_for_an_accepted_user() {
    let plain = request(&[], None, &["openid"]);
    let with = |signed_in, hint| Browser { signed_in, hint };
    assert_eq!(
        signed_in_user(&plain, &with(session(1), Hint::Absent)),
        Some(ALICE)
    );
    assert_eq!(signed_in_user(&plain, &with(None, Hint::Absent)), None);
    assert_eq!(
        signed_in_user(&plain, &with(session(1), Hint::Invalid)),
        None
    );
    assert_eq!(
        signed_in_user(&plain, &with(JUST_NOW, Hint::Subject(BOB.into()))),
        None
    );
    assert_eq!(
        signed_in_user(&plain, &with(ACCEPTED, Hint::Invalid)),
        Some(ALICE)
    );
    let login = request(&[Prompt::Login], None, &["openid"]);
    assert_eq!(
        signed_in_user(&login, &with(session(1), Hint::Absent)),
        None
    );
}

#[test]
fn the_consent_page_asks_for_what_is_missing_or_everything_under_prompt_consent() {
    let granted = vec!["openid".to_owned()];
    let plain = request(&[], None, &["openid", "profile"]);
    assert_eq!(scopes_to_ask(&plain, &granted), vec!["profile"]);
    let forced = request(&[Prompt::Consent], None, &["openid", "profile"]);
    assert_eq!(scopes_to_ask(&forced, &granted), vec!["openid", "profile"]);
}

#[test]
fn only_page_steps_have_a_page_and_only_login_runs_before_sign_in() {
    let table = [
        (Step::Login, Some("login"), false),
        (Step::Consent, Some("consent"), true),
        (Step::Issue, None, true),
        (Step::Error(ACCESS_DENIED), None, true),
    ];
    for (step, page, signed_in) in table {
        assert_eq!(step.page(), page, "{step:?}");
        assert_eq!(step.signed_in(), signed_in, "{step:?}");
    }
}

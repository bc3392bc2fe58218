//! What the seeder (`idp-bench-seed`) creates for the sign-in flow
//! benchmarks and the load driver (`idp-bench-flows`) relies on.

/// The registered redirect URI of the flow client: a loopback address the
/// driver never calls; it reads the code from the `Location` instead.
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/cb";

/// Scopes every benchmarked flow asks for: an ID token, a refresh token.
pub const SCOPE: &str = "openid profile email offline_access";

/// The password of every benchmark user.
pub const PASSWORD: &str = "bench correct horse battery staple";

/// Benchmark users are `{USER_PREFIX}{n}`, n from 0.
pub const USER_PREFIX: &str = "bench-user-";

/// How many users the seeder creates unless told otherwise.
pub const DEFAULT_USERS: usize = 64;

/// The name of benchmark user `n`.
pub fn user_name(n: usize) -> String {
    format!("{USER_PREFIX}{n}")
}

-- client_credentials with client_secret_basic. AUTH_BASIC (base64 of id:secret)
-- and TOKEN_PATH come from the environment.
wrk.method = "POST"
wrk.path = (assert(os.getenv("TOKEN_PATH"), "TOKEN_PATH not set"))
wrk.body = "grant_type=client_credentials&scope=api%3Aread"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. (assert(os.getenv("AUTH_BASIC"), "AUTH_BASIC not set"))

package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// ssoBrowser is a client that keeps cookies and follows redirects, between the application and the provider, as a
// browser does; stopAt, when set, stops before following a redirect to that path.
func ssoBrowser(stopAt string) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if stopAt != "" && r.URL.Path == stopAt {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// fetch reads a page and returns the response and its body.
func fetch(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestSSOSignIn signs in through an OpenID Connect provider started for the test, by the authorisation code flow
// with PKCE, and checks what must be refused: a code used by someone else's browser, a replayed code, an answer
// this browser did not ask for, a provider's refusal, someone with no account, and ID tokens that are not for
// this service, not for this sign-in, out of date, or unsigned by the provider.
func TestSSOSignIn(t *testing.T) {
	f := newFixture(t)
	iss := f.withSSO()
	iss.signInAs("social_worker@example.org")

	_, page := fetch(t, ssoBrowser(""), f.srv.URL+"/sign-in")
	if !strings.Contains(page, `href="/sign-in/sso"`) {
		t.Fatal("the sign-in page does not offer single sign-on")
	}

	// A whole sign-in: to the provider and back, then home, signed in, with a new session.
	c := ssoBrowser("")
	before, _ := url.Parse(f.srv.URL)
	c.Jar.SetCookies(before, []*http.Cookie{{Name: cookieName, Value: f.sessions["social_worker"]}})
	resp, page := fetch(t, c, f.srv.URL+"/sign-in/sso")
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || !strings.Contains(page, "Test social_worker") {
		t.Fatalf("single sign-on ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	for _, ck := range c.Jar.Cookies(before) {
		if ck.Name == cookieName && ck.Value == f.sessions["social_worker"] {
			t.Error("signing in kept the session the browser had before")
		}
	}
	if _, err := f.store.SessionUser(t.Context(), f.sessions["social_worker"], idleTimeout); err == nil {
		t.Error("the session held before signing in is still live")
	}
	if len(iss.challenges) != 1 || len(iss.challenges[0]) != 43 {
		t.Errorf("PKCE challenges sent: %q", iss.challenges)
	}

	// Each sign-in has its own state, nonce and verifier: two starts, two challenges.
	first, _ := fetch(t, ssoBrowser(ssoCallback), f.srv.URL+"/sign-in/sso")
	if resp, _ := fetch(t, ssoBrowser(ssoCallback), f.srv.URL+"/sign-in/sso"); iss.challenges[1] == iss.challenges[2] ||
		first.Header.Get("Location") == resp.Header.Get("Location") {
		t.Error("two sign-ins sent the same challenge or state")
	}

	refused := func(name string, c *http.Client, callback string, status int, says string) {
		t.Helper()
		resp, page := fetch(t, c, callback)
		if resp.StatusCode != status || !strings.Contains(page, says) {
			t.Errorf("%s: %d, want %d saying %q", name, resp.StatusCode, status, says)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == cookieName && ck.MaxAge >= 0 {
				t.Errorf("%s: a session cookie was set", name)
			}
		}
	}
	// callback starts a sign-in in a browser that stops on the way back, and returns the browser and the
	// address the provider sent it back to.
	callback := func() (*http.Client, string) {
		c := ssoBrowser(ssoCallback)
		resp, _ := fetch(t, c, f.srv.URL+"/sign-in/sso")
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("the provider answered %d", resp.StatusCode)
		}
		return c, resp.Header.Get("Location")
	}

	// A code taken from the victim's redirect, used in the thief's own sign-in: the state matches the thief's
	// cookie, but the thief's server-held verifier does not match the victim's challenge, so the provider refuses.
	victim, stolen := callback()
	thief, own := callback()
	ownURL, _ := url.Parse(own)
	stolenURL, _ := url.Parse(stolen)
	q := ownURL.Query()
	q.Set("code", stolenURL.Query().Get("code"))
	ownURL.RawQuery = q.Encode()
	refused("a stolen code", thief, ownURL.String(), http.StatusUnauthorized, "could not confirm who you are")
	// The provider spent the code on the thief's attempt, so it is no good to the victim either.
	refused("a spent code", victim, stolen, http.StatusUnauthorized, "could not confirm who you are")

	// An answer to a sign-in this browser did not start.
	_, other := callback()
	refused("another browser's answer", ssoBrowser(""), other, http.StatusBadRequest, "not started here")
	c, back := callback()
	replay, _ := fetch(t, c, back)
	if replay.Request.URL.Path != "/" {
		t.Fatalf("sign-in ended at %s", replay.Request.URL)
	}
	refused("a replayed answer", c, back, http.StatusBadRequest, "not started here")

	// The provider refuses.
	iss.set(func(iss *issuer) { iss.deny = true })
	c, back = callback()
	refused("the provider's refusal", c, back, http.StatusUnauthorized, "did not sign you in")

	// The provider knows someone Continuum does not.
	iss.signInAs("stranger@example.org")
	c, back = callback()
	refused("no account", c, back, http.StatusForbidden, "do not have a Continuum account")

	// ID tokens the application must not believe, about someone who has an account.
	iss.signInAs("social_worker@example.org")
	for name, tamper := range map[string]func(map[string]any){
		"another service's token": func(c map[string]any) { c["aud"] = "someone-else" },
		"another sign-in's token": func(c map[string]any) { c["nonce"] = "not-this-one" },
		"an expired token":        func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() },
		"another issuer's token":  func(c map[string]any) { c["iss"] = "https://elsewhere.example.org" },
		"an unverified email":     func(c map[string]any) { c["email_verified"] = false },
		"a token with no email":   func(c map[string]any) { delete(c, "email") },
	} {
		iss.set(func(iss *issuer) { iss.tamper = tamper })
		c, back = callback()
		refused(name, c, back, http.StatusUnauthorized, "could not confirm who you are")
	}
	// A token signed for a team manager, edited to name a social worker, keeps a signature that no longer fits.
	iss.signInAs("team_manager@example.org")
	iss.set(func(iss *issuer) { iss.forgeEmail = "social_worker@example.org" })
	c, back = callback()
	refused("an edited token", c, back, http.StatusUnauthorized, "could not confirm who you are")
	if strings.Contains(f.logs.String(), "stranger@example.org") {
		t.Error("the log holds an email address")
	}
}

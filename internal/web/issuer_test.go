package web

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// issuer is an OpenID Connect provider started inside the tests: discovery, keys, an authorisation endpoint that
// signs in whoever the test says is at the keyboard, and a token endpoint that holds the client to PKCE (S256),
// single-use codes and its registered redirect address. It signs ID tokens itself (RS256 by hand), so the
// library that checks them in the application is checked against tokens it did not make.
type issuer struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	secret   string
	redirect string

	mu sync.Mutex
	// email is who signs in at the provider; deny makes the provider refuse instead.
	email string
	deny  bool
	// tamper changes the claims of the next ID tokens, for the tests of what the application must refuse.
	tamper func(claims map[string]any)
	// forgeEmail, when set, swaps the email in a signed token for this one, keeping the signature.
	forgeEmail string
	codes      map[string]grant
	// challenges are the PKCE challenges the provider has been sent, in order.
	challenges []string
}

// grant is what a code was issued for.
type grant struct {
	challenge, nonce, redirect, email string
}

func newIssuer(t *testing.T, redirect string) *issuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &issuer{t: t, key: key, clientID: "continuum-test", secret: newToken(), redirect: redirect, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", iss.discovery)
	mux.HandleFunc("GET /keys", iss.keys)
	mux.HandleFunc("GET /authorize", iss.authorize)
	mux.HandleFunc("POST /token", iss.token)
	iss.srv = httptest.NewServer(mux)
	t.Cleanup(iss.srv.Close)
	return iss
}

// signInAs sets who the provider signs in next.
func (iss *issuer) signInAs(email string) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.email, iss.deny, iss.tamper, iss.forgeEmail = email, false, nil, ""
}

func (iss *issuer) set(fn func(iss *issuer)) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	fn(iss)
}

func (iss *issuer) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": iss.srv.URL, "authorization_endpoint": iss.srv.URL + "/authorize", "token_endpoint": iss.srv.URL + "/token",
		"jwks_uri": iss.srv.URL + "/keys", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (iss *issuer) keys(w http.ResponseWriter, _ *http.Request) {
	b64 := base64.RawURLEncoding.EncodeToString
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{"kty": "RSA", "alg": "RS256", "use": "sig",
		"kid": "test", "n": b64(iss.key.N.Bytes()), "e": b64(big.NewInt(int64(iss.key.E)).Bytes())}}})
}

// authorize checks the request as a provider would, then sends the browser back with a code, or with an error.
func (iss *issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	iss.mu.Lock()
	defer iss.mu.Unlock()
	if q.Get("client_id") != iss.clientID || q.Get("redirect_uri") != iss.redirect {
		http.Error(w, "unknown client or redirect address", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(iss.redirect)
	answer := url.Values{"state": {q.Get("state")}}
	iss.challenges = append(iss.challenges, q.Get("code_challenge"))
	switch {
	case q.Get("response_type") != "code" || !slices.Contains(strings.Fields(q.Get("scope")), "openid") ||
		q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("nonce") == "":
		answer.Set("error", "invalid_request")
	case iss.deny:
		answer.Set("error", "access_denied")
	default:
		code := newToken()
		iss.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), email: iss.email}
		answer.Set("code", code)
	}
	back.RawQuery = answer.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token swaps a code for an ID token once, for the client that proves it holds the PKCE verifier.
func (iss *issuer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	iss.mu.Lock()
	defer iss.mu.Unlock()
	refuse := func(e string) { writeJSON(w, http.StatusBadRequest, map[string]string{"error": e}) }
	if id != iss.clientID || secret != iss.secret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	g, ok := iss.codes[r.PostForm.Get("code")]
	delete(iss.codes, r.PostForm.Get("code")) // a code is good once, whatever happens
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || !ok || r.PostForm.Get("redirect_uri") != g.redirect:
		refuse("invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		refuse("invalid_grant") // the PKCE verifier does not match the challenge
		return
	}
	now := time.Now()
	claims := map[string]any{"iss": iss.srv.URL, "sub": "sub-" + g.email, "aud": iss.clientID, "email": g.email,
		"email_verified": true, "nonce": g.nonce, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	if iss.tamper != nil {
		iss.tamper(claims)
	}
	idToken := iss.sign(claims)
	if iss.forgeEmail != "" {
		claims["email"] = iss.forgeEmail
		edited := strings.Split(iss.sign(claims), ".")
		idToken = edited[0] + "." + edited[1] + "." + strings.Split(idToken, ".")[2]
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": newToken(), "token_type": "Bearer", "expires_in": 300,
		"id_token": idToken})
}

// sign makes a compact JWS, RS256, of claims.
func (iss *issuer) sign(claims map[string]any) string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			iss.t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "test"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, iss.key, crypto.SHA256, sum[:])
	if err != nil {
		iss.t.Fatal(err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

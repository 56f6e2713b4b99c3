package runtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Actions that produce deliveries.
func sendExecutors(t *executorTable) {
	register(t, linkSendEmail)
	register(t, linkSendSMS)
	register(t, linkSendPostcard)
	register(t, linkNotifyEmail)
	register(t, linkNotifySMS)
	register(t, linkWebhook)
	register(t, linkMembershipAccess)
	register(t, linkCustomAudience)
}

func linkSendEmail(p *Program, s *plan.SendEmail) (func(*actx) error, error) {
	name := s.Email
	email := p.assets.Email[name]
	if email == nil {
		return nil, fmt.Errorf("no email %q in the plan", name)
	}
	subject, err := compileExpr(&email.Subject)
	if err != nil {
		return nil, err
	}
	body, err := compileExpr(&email.Body)
	if err != nil {
		return nil, err
	}
	fromName, err := compileExpr(email.FromName)
	if err != nil {
		return nil, err
	}
	var to plan.Recipient
	if s.To != nil {
		to = *s.To
	}
	marketing := email.Kind != "transactional"
	from, replyTo := email.From, email.ReplyTo
	if from == "" && len(p.Plan.Account.Senders) > 0 {
		from = p.Plan.Account.Senders[0]
	}
	toContact := to == plan.Recipient{}
	return func(x *actx) error {
		address := x.s.c.StringField("email")
		if !toContact {
			var nobody string
			if address, nobody = p.recipientEmail(to, x.s.c); nobody != "" {
				return x.skip(nobody)
			}
		}
		switch {
		case toContact && x.s.c.DoNotContact(s.Channel()):
			return x.skip("the contact asked not to be emailed")
		case address == "":
			return x.skip("no email address")
		}
		payload := map[string]any{"to": address, "from": from}
		if replyTo != "" {
			payload["reply_to"] = replyTo
		}
		if err := x.render(payload, map[string]*Expr{"subject": subject, "body": body, "from_name": fromName}); err != nil {
			return err
		}
		if name, _ := payload["from_name"].(string); strings.TrimSpace(name) == "" {
			// A name that renders to nothing (an owner without one) leaves
			// the address alone, rather than an empty display name.
			delete(payload, "from_name")
		}
		d := &Delivery{Kind: "email", Asset: name, Marketing: toContact && marketing, Payload: payload}
		if !d.Marketing {
			x.outcome, x.detail = "sent", map[string]any{"email": name, "subject": payload["subject"]}
			return x.deliver(d)
		}
		// A marketing email goes once: marked sent to the contact and
		// stored in the same write.
		x.prepare(d)
		first, stored, err := x.s.tx.AddMarketingDelivery(d)
		if err != nil {
			return err
		}
		if !first {
			return x.skip("marketing email already sent to this contact")
		}
		x.outcome, x.detail = "sent", map[string]any{"email": name, "subject": payload["subject"]}
		return x.handOver(d, stored)
	}, nil
}

func linkSendSMS(p *Program, s *plan.SendSMS) (func(*actx) error, error) {
	name := s.SMS
	sms := p.assets.SMS[name]
	if sms == nil {
		return nil, fmt.Errorf("no sms %q in the plan", name)
	}
	body, err := compileExpr(&sms.Body)
	if err != nil {
		return nil, err
	}
	from := sms.From
	if from == "" && len(p.Plan.Account.SMSNumbers) > 0 {
		from = p.Plan.Account.SMSNumbers[0]
	}
	return func(x *actx) error {
		phone := x.s.c.StringField("phone")
		switch {
		case x.s.c.DoNotContact(s.Channel()):
			return x.skip("the contact asked not to be texted")
		case phone == "":
			return x.skip("no phone number")
		}
		payload := map[string]any{"to": phone, "from": from}
		if err := x.render(payload, map[string]*Expr{"body": body}); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"sms": name, "body": payload["body"]}
		return x.deliver(&Delivery{Kind: "sms", Asset: name, Payload: payload})
	}, nil
}

func linkSendPostcard(p *Program, s *plan.SendPostcard) (func(*actx) error, error) {
	name := s.Postcard
	card := p.assets.Postcard[name]
	if card == nil {
		return nil, fmt.Errorf("no postcard %q in the plan", name)
	}
	front, err := compileExpr(&card.Front)
	if err != nil {
		return nil, err
	}
	back, err := compileExpr(card.Back)
	if err != nil {
		return nil, err
	}
	lines := p.Plan.Account.PostalAddress
	return func(x *actx) error {
		if x.s.c.DoNotContact(s.Channel()) {
			return x.skip("the contact asked not to get mail")
		}
		payload := map[string]any{"contact": x.s.c.ID}
		if len(lines) > 0 {
			address, ok := postalAddress(x.s.c, lines)
			if !ok {
				return x.skip("no postal address (" + strings.Join(lines, ", ") + " are empty)")
			}
			payload["address"] = address
		}
		if err := x.render(payload, map[string]*Expr{"front": front, "back": back}); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"postcard": name}
		return x.deliver(&Delivery{Kind: "postcard", Asset: name, Payload: payload})
	}, nil
}

// postalAddress is the contact's postal address for the printer: each
// field of account.postal_address as text, by name; false when every one
// is empty.
func postalAddress(c *Contact, lines []string) (map[string]string, bool) {
	address := make(map[string]string, len(lines))
	found := false
	for _, name := range lines {
		text := strings.TrimSpace(CellText(c.Field(name)))
		address[name] = text
		found = found || text != ""
	}
	return address, found
}

func linkNotifyEmail(p *Program, s *plan.NotifyEmail) (func(*actx) error, error) {
	to := s.To
	subjectText, bodyText := s.Subject, s.Body
	asset := s.Email
	if asset != "" {
		email := p.assets.Email[asset]
		if email == nil {
			return nil, fmt.Errorf("no email %q in the plan", asset)
		}
		subjectText, bodyText = &email.Subject, &email.Body
	}
	subject, err := compileExpr(subjectText)
	if err != nil {
		return nil, err
	}
	body, err := compileExpr(bodyText)
	if err != nil {
		return nil, err
	}
	templates := map[string]*Expr{"subject": subject, "body": body}
	return func(x *actx) error {
		address, nobody := p.recipientEmail(to, x.s.c)
		if nobody != "" {
			return x.skip(nobody)
		}
		if address == "" {
			return x.skip("the recipient has no email address")
		}
		payload := map[string]any{"to": address, "about": x.s.c.ID}
		if err := x.render(payload, templates); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"to": address, "subject": payload["subject"]}
		return x.deliver(&Delivery{Kind: "notify_email", Asset: asset, Payload: payload})
	}, nil
}

func linkNotifySMS(p *Program, s *plan.NotifySMS) (func(*actx) error, error) {
	to := s.To
	body, err := compileExpr(&s.Body)
	if err != nil {
		return nil, err
	}
	return func(x *actx) error {
		phone := to.Address
		switch {
		case to.Owner:
			owner, nobody := p.owner(x.s.c)
			if nobody != "" {
				return x.skip(nobody)
			}
			if owner.Phone == "" {
				return x.skip(fmt.Sprintf("the contact's owner, user %s, has no phone number", x.s.c.Owner))
			}
			phone = owner.Phone
		case to.User != "":
			phone = ""
			if u := p.assets.User[to.User]; u != nil {
				phone = u.Phone
			}
		}
		if phone == "" {
			return x.skip("the recipient has no phone number")
		}
		payload := map[string]any{"to": phone, "about": x.s.c.ID}
		if err := x.render(payload, map[string]*Expr{"body": body}); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"to": phone}
		return x.deliver(&Delivery{Kind: "notify_sms", Payload: payload})
	}, nil
}

func linkWebhook(p *Program, s *plan.Webhook) (func(*actx) error, error) {
	name := s.Webhook
	url, method, headers, bodyText := s.URL, s.Method, s.Headers, s.Body
	if name != "" {
		declared := p.assets.Webhook[name]
		if declared == nil {
			return nil, fmt.Errorf("no webhook %q in the plan", name)
		}
		url, method, headers, bodyText = declared.URL, declared.Method, declared.Headers, declared.Body
	}
	if method == "" {
		method = "POST"
	}
	body, err := compileExpr(bodyText)
	if err != nil {
		return nil, err
	}
	return func(x *actx) error {
		payload := map[string]any{"url": url, "method": method, "headers": headers, "contact": x.s.c.ID}
		if err := x.render(payload, map[string]*Expr{"body": body}); err != nil {
			return err
		}
		if body == nil {
			// A webhook without a body sends the contact as JSON.
			payload["body"] = contactJSON(x.s.c)
		}
		x.outcome, x.detail = "called", map[string]any{"url": url, "method": method}
		return x.deliver(&Delivery{Kind: "webhook", Asset: name, Payload: payload})
	}, nil
}

// contactJSON is the contact as a JSON object: its id, every field by
// name, and the built-in members (tags, points, stage, owner, created_at).
func contactJSON(c *Contact) string {
	m := map[string]any{}
	for k, v := range c.Fields {
		m[k] = v
	}
	tags := c.Tags
	if tags == nil {
		tags = []string{}
	}
	m["id"], m["tags"], m["points"], m["stage"], m["owner"] = c.ID, tags, c.Points, c.Stage, c.Owner
	m["created_at"] = c.CreatedAt.UTC().Format(time.RFC3339)
	data, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(data)
}

func linkMembershipAccess(p *Program, s *plan.MembershipAccess) (func(*actx) error, error) {
	return provide("membership", map[string]any{"site": s.Site, "status": s.Status}), nil
}

func linkCustomAudience(p *Program, s *plan.CustomAudience) (func(*actx) error, error) {
	return provide("audience", map[string]any{"audience": s.Audience, "op": s.Op}), nil
}

// provide binds an action that a provider adapter performs: the delivery
// carries its settings.
func provide(kind string, settings map[string]any) func(*actx) error {
	return func(x *actx) error {
		payload := map[string]any{"contact": x.s.c.ID, "email": x.s.c.StringField("email")}
		detail := map[string]any{}
		for k, v := range settings {
			payload[k], detail[k] = v, v
		}
		x.outcome, x.detail = "requested", detail
		return x.deliver(&Delivery{Kind: kind, Payload: payload})
	}
}

// recipientEmail is a user's email, the contact's owner's, or the address
// itself; "" when the user has none. nobody says why a message to the
// owner goes to no one.
func (p *Program) recipientEmail(to plan.Recipient, c *Contact) (address, nobody string) {
	switch {
	case to.Owner:
		owner, nobody := p.owner(c)
		if nobody != "" {
			return "", nobody
		}
		if owner.Email == "" {
			return "", fmt.Sprintf("the contact's owner, user %s, has no email address", c.Owner)
		}
		return owner.Email, ""
	}
	return p.userOrAddress(to), ""
}

// userOrAddress is a user's email or the address itself ("" when the user
// has none).
func (p *Program) userOrAddress(to plan.Recipient) string {
	if to.User != "" {
		if u := p.assets.User[to.User]; u != nil {
			return u.Email
		}
		return ""
	}
	return to.Address
}

// owner is the user the contact's owner field names, or nil and why there
// is none: no owner, or one that is no user of the plan (an owner the API
// set to a name the workspace does not declare).
func (p *Program) owner(c *Contact) (*plan.UserAsset, string) {
	if c.Owner == "" {
		return nil, "the contact has no owner"
	}
	u := p.assets.User[c.Owner]
	if u == nil {
		return nil, fmt.Sprintf("the contact's owner %q is no user of the workspace", c.Owner)
	}
	return u, ""
}

package runtime

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Actions that produce deliveries.
func sendExecutors() map[string]linker {
	return map[string]linker{
		"send_email":        linkSendEmail,
		"send_sms":          linkSendSMS,
		"send_postcard":     linkSendPostcard,
		"notify_email":      linkNotifyEmail,
		"notify_sms":        linkNotifySMS,
		"webhook":           linkWebhook,
		"membership_access": linkProvider("membership", "site", "status"),
		"custom_audience":   linkProvider("audience", "audience", "op"),
	}
}

func linkSendEmail(p *Program, s plan.Settings) (func(*actx) error, error) {
	name := s.String("email")
	email := p.asset("email", name)
	if email == nil {
		return nil, fmt.Errorf("no email %q in the plan", name)
	}
	subject, err := template(email, "subject")
	if err != nil {
		return nil, err
	}
	body, err := template(email, "body")
	if err != nil {
		return nil, err
	}
	var to plan.Recipient
	if err := s.Decode("to", &to); err != nil {
		return nil, err
	}
	marketing := email.String("kind") != "transactional"
	from, replyTo := email.String("from"), email.String("reply_to")
	if from == "" && len(p.Plan.Account.Senders) > 0 {
		from = p.Plan.Account.Senders[0]
	}
	return func(x *actx) error {
		address := x.s.c.StringField("email")
		toContact := to.User == "" && to.Address == ""
		if !toContact {
			address = p.recipientEmail(to)
		}
		switch {
		case toContact && x.s.c.DoNotContact("email"):
			return x.skip("the contact asked not to be emailed")
		case address == "":
			return x.skip("no email address")
		}
		payload := map[string]any{"to": address, "from": from}
		if replyTo != "" {
			payload["reply_to"] = replyTo
		}
		if err := x.render(payload, map[string]*Expr{"subject": subject, "body": body}); err != nil {
			return err
		}
		if toContact && marketing {
			first, err := x.s.tx.MarkSent(x.s.c.ID, name)
			if err != nil {
				return err
			}
			if !first {
				return x.skip("marketing email already sent to this contact")
			}
		}
		x.outcome, x.detail = "sent", map[string]any{"email": name, "subject": payload["subject"]}
		return x.deliver(&Delivery{Kind: "email", Asset: name, Marketing: toContact && marketing, Payload: payload})
	}, nil
}

func linkSendSMS(p *Program, s plan.Settings) (func(*actx) error, error) {
	name := s.String("sms")
	sms := p.asset("sms", name)
	if sms == nil {
		return nil, fmt.Errorf("no sms %q in the plan", name)
	}
	body, err := template(sms, "body")
	if err != nil {
		return nil, err
	}
	from := sms.String("from")
	if from == "" && len(p.Plan.Account.SMSNumbers) > 0 {
		from = p.Plan.Account.SMSNumbers[0]
	}
	return func(x *actx) error {
		phone := x.s.c.StringField("phone")
		switch {
		case x.s.c.DoNotContact("sms"):
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

func linkSendPostcard(p *Program, s plan.Settings) (func(*actx) error, error) {
	name := s.String("postcard")
	card := p.asset("postcard", name)
	if card == nil {
		return nil, fmt.Errorf("no postcard %q in the plan", name)
	}
	front, err := template(card, "front")
	if err != nil {
		return nil, err
	}
	back, err := template(card, "back")
	if err != nil {
		return nil, err
	}
	return func(x *actx) error {
		if x.s.c.DoNotContact("postcard") {
			return x.skip("the contact asked not to get mail")
		}
		payload := map[string]any{"contact": x.s.c.ID}
		if err := x.render(payload, map[string]*Expr{"front": front, "back": back}); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"postcard": name}
		return x.deliver(&Delivery{Kind: "postcard", Asset: name, Payload: payload})
	}, nil
}

func linkNotifyEmail(p *Program, s plan.Settings) (func(*actx) error, error) {
	var to plan.Recipient
	if err := s.Decode("to", &to); err != nil {
		return nil, err
	}
	templates := map[string]*Expr{}
	asset := s.String("email")
	source := s
	if asset != "" {
		source = p.asset("email", asset)
		if source == nil {
			return nil, fmt.Errorf("no email %q in the plan", asset)
		}
	}
	for _, key := range []string{"subject", "body"} {
		t, err := template(source, key)
		if err != nil {
			return nil, err
		}
		templates[key] = t
	}
	return func(x *actx) error {
		address := p.recipientEmail(to)
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

func linkNotifySMS(p *Program, s plan.Settings) (func(*actx) error, error) {
	var to plan.Recipient
	if err := s.Decode("to", &to); err != nil {
		return nil, err
	}
	body, err := template(s, "body")
	if err != nil {
		return nil, err
	}
	return func(x *actx) error {
		phone := to.Address
		if to.User != "" {
			phone = p.asset("user", to.User).String("phone")
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

func linkWebhook(p *Program, s plan.Settings) (func(*actx) error, error) {
	source, name := s, s.String("webhook")
	if name != "" {
		if source = p.asset("webhook", name); source == nil {
			return nil, fmt.Errorf("no webhook %q in the plan", name)
		}
	}
	url, method := source.String("url"), source.String("method")
	if method == "" {
		method = "POST"
	}
	var headers map[string]string
	if err := source.Decode("headers", &headers); err != nil {
		return nil, err
	}
	body, err := template(source, "body")
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

// linkProvider binds an action that a provider adapter performs: the
// delivery carries its settings.
func linkProvider(kind string, keys ...string) linker {
	return func(p *Program, s plan.Settings) (func(*actx) error, error) {
		return func(x *actx) error {
			payload := map[string]any{"contact": x.s.c.ID, "email": x.s.c.StringField("email")}
			detail := map[string]any{}
			for _, k := range keys {
				payload[k], detail[k] = s.String(k), s.String(k)
			}
			x.outcome, x.detail = "requested", detail
			return x.deliver(&Delivery{Kind: kind, Payload: payload})
		}, nil
	}
}

// recipientEmail is a user's email or the address itself.
func (p *Program) recipientEmail(to plan.Recipient) string {
	if to.User != "" {
		return p.asset("user", to.User).String("email")
	}
	return to.Address
}

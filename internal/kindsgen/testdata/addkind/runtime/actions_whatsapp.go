package runtime

import (
	"fmt"

	"github.com/journeyhq/journey/compiler/plan"
)

func linkSendWhatsapp(p *Program, s *plan.SendWhatsapp) (func(*actx) error, error) {
	name := s.Whatsapp
	msg := p.assets.Whatsapp[name]
	if msg == nil {
		return nil, fmt.Errorf("no whatsapp %q in the plan", name)
	}
	body, err := compileExpr(&msg.Body)
	if err != nil {
		return nil, err
	}
	from := msg.From
	if from == "" && len(p.Plan.Account.SMSNumbers) > 0 {
		from = p.Plan.Account.SMSNumbers[0]
	}
	return func(x *actx) error {
		phone := x.s.c.StringField("phone")
		switch {
		case x.s.c.DoNotContact(s.Channel()):
			return x.skip("the contact asked not to get WhatsApp messages")
		case phone == "":
			return x.skip("no phone number")
		}
		payload := map[string]any{"to": phone, "from": from}
		if err := x.render(payload, map[string]*Expr{"body": body}); err != nil {
			return err
		}
		x.outcome, x.detail = "sent", map[string]any{"whatsapp": name, "body": payload["body"]}
		return x.deliver(&Delivery{Kind: "whatsapp", Asset: name, Payload: payload})
	}, nil
}

package runtime

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/journeyhq/journey/compiler/plan"
)

// Actions that change the runtime's own data about the contact.
func dataExecutors(t *executorTable) {
	register(t, linkChangeTags)
	register(t, linkUpdateContact)
	register(t, linkAdjustPoints)
	register(t, linkChangeStage)
	register(t, linkAssignOwner)
	register(t, linkAddToLeadRouter)
	register(t, linkAssignTask)
	register(t, linkApplyNote)
	register(t, linkCreateAppointment)
	register(t, linkCreateOpportunity)
	register(t, linkSendToFulfillment)
	register(t, linkRemoveFromFulfillment)
	register(t, linkAddPurchase)
	register(t, linkCancelOpenOrders)
	register(t, linkRechargeTransactions)
	register(t, linkDoNotContact)
	register(t, linkModifySegments)
	register(t, linkDeleteContact)
}

func linkChangeTags(p *Program, s *plan.ChangeTags) (func(*actx) error, error) {
	if s.Set != nil {
		return replaceTags(s.Set), nil
	}
	add, remove := s.Add, s.Remove
	return func(x *actx) error {
		var added, removed []string
		for _, t := range add {
			if x.s.addTag(t) {
				added = append(added, t)
			}
		}
		for _, t := range remove {
			if x.s.removeTag(t) {
				removed = append(removed, t)
			}
		}
		x.outcome, x.detail = "tags changed", map[string]any{"added": added, "removed": removed}
		return nil
	}, nil
}

// replaceTags makes the contact's tags exactly keep (Mautic's
// "overwrite"): every other tag is removed, then the missing ones are
// added, so that only what changes raises an event.
func replaceTags(keep []string) func(*actx) error {
	return func(x *actx) error {
		var added, removed []string
		for _, t := range slices.Clone(x.s.c.Tags) {
			if !slices.Contains(keep, t) && x.s.removeTag(t) {
				removed = append(removed, t)
			}
		}
		for _, t := range keep {
			if x.s.addTag(t) {
				added = append(added, t)
			}
		}
		x.outcome, x.detail = "tags changed", map[string]any{"added": added, "removed": removed}
		return nil
	}
}

func linkUpdateContact(p *Program, s *plan.UpdateContact) (func(*actx) error, error) {
	sets := s.Set
	values := make([]*Expr, len(sets))
	for i := range sets {
		x, err := compileExpr(&sets[i].Value)
		if err != nil {
			return nil, err
		}
		values[i] = x
	}
	onlyIfBlank, zone := s.OnlyIfBlank, s.TimeZone
	return func(x *actx) error {
		changed := map[string]any{}
		env := x.s.env(x.event)
		env.loc = p.namedZone(zone, x.s.c)
		for i, set := range sets {
			if onlyIfBlank && !blankValue(x.s.c.Field(set.Field)) {
				continue
			}
			v, err := values[i].Value(env)
			if err != nil {
				return fmt.Errorf("%s: %w", set.Field, err)
			}
			v = inFieldForm(v, p.fields[set.Field].Type, env.loc)
			if x.s.setField(set.Field, v) {
				changed[set.Field] = v
			}
		}
		x.outcome, x.detail = "updated", changed
		return nil
	}, nil
}

// inFieldForm is a value as its field holds it: a date field holds a
// date, so a date-time (now(), date_add of a date-time) is stored as its
// date in the zone the values count in.
func inFieldForm(v any, fieldType string, loc *time.Location) any {
	text, ok := v.(string)
	if !ok || fieldType != "date" {
		return v
	}
	if _, err := time.Parse(dateLayout, text); err == nil {
		return v
	}
	if t, err := parseDate(text, loc); err == nil {
		return t.In(loc).Format(dateLayout)
	}
	return v
}

// blankValue reports a field value with nothing in it: unset, "" or an
// empty list.
func blankValue(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case []string:
		return len(t) == 0
	}
	return false
}

func linkAdjustPoints(p *Program, s *plan.AdjustPoints) (func(*actx) error, error) {
	points := s.Points
	return func(x *actx) error {
		x.s.setField("points", x.s.c.Points+points)
		x.outcome, x.detail = "points adjusted", map[string]any{"points": points, "total": x.s.c.Points}
		return nil
	}, nil
}

func linkChangeStage(p *Program, s *plan.ChangeStage) (func(*actx) error, error) {
	stage := s.Stage
	return func(x *actx) error {
		x.s.setField("stage", stage)
		x.outcome, x.detail = "stage changed", map[string]any{"stage": stage}
		return nil
	}, nil
}

func linkAssignOwner(p *Program, s *plan.AssignOwner) (func(*actx) error, error) {
	user, router := s.User, s.LeadRouter
	return func(x *actx) error {
		owner := user
		if router != "" {
			var err error
			if owner, err = x.route(p, router); err != nil {
				return err
			}
		}
		x.s.setField("owner", owner)
		x.outcome, x.detail = "owner assigned", map[string]any{"owner": owner}
		return nil
	}, nil
}

func linkAddToLeadRouter(p *Program, s *plan.AddToLeadRouter) (func(*actx) error, error) {
	router := s.LeadRouter
	return func(x *actx) error {
		owner, err := x.route(p, router)
		if err != nil {
			return err
		}
		x.s.setField("owner", owner)
		x.outcome, x.detail = "routed", map[string]any{"lead_router": router, "owner": owner}
		return x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: "lead_assignment", Name: router, Status: "assigned", Data: map[string]any{"owner": owner}, CreatedAt: x.s.now})
	}, nil
}

// route picks a router's user: in turn, or by weight (stable per contact).
func (x *actx) route(p *Program, router string) (string, error) {
	r := p.assets.LeadRouter[router]
	if r == nil {
		return "", fmt.Errorf("no lead router %q in the plan", router)
	}
	users := r.Users
	if len(users) == 0 {
		return "", fmt.Errorf("lead router %q has no users", router)
	}
	if r.Strategy == "weighted" {
		if weights := r.Weights; len(weights) == len(users) {
			if i := stableChoice("lead_router/"+router, x.s.c.Identity(), weights); i >= 0 {
				return users[i], nil
			}
		}
	}
	i, err := x.s.tx.NextInTurn(router, len(users))
	if err != nil {
		return "", err
	}
	return users[i], nil
}

func linkAssignTask(p *Program, s *plan.AssignTask) (func(*actx) error, error) {
	name := s.Task
	task := p.assets.Task[name]
	if task == nil {
		return nil, fmt.Errorf("no task %q in the plan", name)
	}
	subject, err := compileExpr(&task.Subject)
	if err != nil {
		return nil, err
	}
	assignee := s.Assignee
	if assignee == "" {
		assignee = task.Assignee
	}
	var dueIn plan.Duration
	for _, d := range []*plan.Duration{task.DueIn, s.DueIn} {
		if d != nil {
			dueIn = *d
		}
	}
	wait := s.WaitForCompletion
	return func(x *actx) error {
		data := map[string]any{}
		if err := x.render(data, map[string]*Expr{"subject": subject}); err != nil {
			return err
		}
		owner := assignee
		if owner == "" {
			owner = x.s.c.Owner
		}
		data["assignee"] = owner
		var due *time.Time
		if !dueIn.IsZero() {
			d := addDays(x.s.now, p.accountLoc, dueIn.Days).Add(time.Duration(dueIn.Minutes) * time.Minute)
			due = &d
		}
		rec := &Record{ContactID: x.s.c.ID, Kind: "task", Name: name, Status: "open", At: due, Data: data, CreatedAt: x.s.now}
		if err := x.s.tx.AddRecord(rec); err != nil {
			return err
		}
		x.outcome, x.detail = "task assigned", map[string]any{"task": name, "assignee": owner}
		if wait && x.waitsForTasks {
			x.holdTask = rec.ID
			x.outcome = "task assigned; waiting for it to be completed"
		}
		return nil
	}, nil
}

func linkApplyNote(p *Program, s *plan.ApplyNote) (func(*actx) error, error) {
	text, err := compileExpr(&s.Text)
	if err != nil {
		return nil, err
	}
	return func(x *actx) error {
		data := map[string]any{}
		if err := x.render(data, map[string]*Expr{"text": text}); err != nil {
			return err
		}
		x.outcome, x.detail = "note added", data
		return x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: "note", Status: "open", Data: data, CreatedAt: x.s.now})
	}, nil
}

func linkCreateAppointment(p *Program, s *plan.CreateAppointment) (func(*actx) error, error) {
	title, err := compileExpr(&s.Title)
	if err != nil {
		return nil, err
	}
	at := s.At
	return func(x *actx) error {
		data := map[string]any{}
		if err := x.render(data, map[string]*Expr{"title": title}); err != nil {
			return err
		}
		when, ok := p.timerDue(&at, x.s.now, x.s.c, x.event)
		if !ok {
			return x.skip("the appointment's time can never be")
		}
		x.outcome, x.detail = "appointment booked", map[string]any{"title": data["title"], "at": x.s.display(when)}
		return x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: "appointment", Status: "booked", At: &when, Data: data, CreatedAt: x.s.now})
	}, nil
}

func linkCreateOpportunity(p *Program, s *plan.CreateOpportunity) (func(*actx) error, error) {
	stage := s.Stage
	var owner plan.UserOrLeadRouter
	if s.Owner != nil {
		owner = *s.Owner
	}
	return func(x *actx) error {
		who := owner.User
		if owner.LeadRouter != "" {
			var err error
			if who, err = x.route(p, owner.LeadRouter); err != nil {
				return err
			}
		}
		x.outcome, x.detail = "opportunity opened", map[string]any{"stage": stage, "owner": who}
		return x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: "opportunity", Name: stage, Status: "open", Data: map[string]any{"owner": who}, CreatedAt: x.s.now})
	}, nil
}

func linkSendToFulfillment(p *Program, s *plan.SendToFulfillment) (func(*actx) error, error) {
	return linkFulfillment(p, s.List, true)
}

func linkRemoveFromFulfillment(p *Program, s *plan.RemoveFromFulfillment) (func(*actx) error, error) {
	return linkFulfillment(p, s.List, false)
}

// linkFulfillment adds the contact to a fulfillment list, or removes its
// pending rows.
func linkFulfillment(p *Program, list string, add bool) (func(*actx) error, error) {
	declared := p.assets.FulfillmentList[list]
	if declared == nil {
		return nil, fmt.Errorf("no fulfillment_list %q in the plan", list)
	}
	columns := declared.Fields
	return func(x *actx) error {
		if !add {
			rows, err := x.s.tx.Records(x.s.c.ID, FulfillmentKind)
			if err != nil {
				return err
			}
			removed := 0
			for _, r := range rows {
				// A batched row is in a CSV already: only one still
				// waiting can be taken back.
				if r.Name == list && r.Status == RowPending {
					r.Status = RowRemoved
					if err := x.s.tx.UpdateRecord(r); err != nil {
						return err
					}
					removed++
				}
			}
			x.outcome, x.detail = "removed from list", map[string]any{"list": list, "rows": removed}
			return nil
		}
		row := map[string]any{}
		for _, col := range columns {
			row[col] = x.s.c.Field(col)
		}
		x.outcome, x.detail = "added to list", map[string]any{"list": list}
		return x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: FulfillmentKind, Name: list, Status: RowPending, Data: row, CreatedAt: x.s.now})
	}, nil
}

func linkAddPurchase(p *Program, s *plan.AddPurchase) (func(*actx) error, error) {
	product := s.Product
	declared := p.assets.Product[product]
	if declared == nil {
		return nil, fmt.Errorf("no product %q in the plan", product)
	}
	price, recurring := declared.Price, declared.Recurring
	return func(x *actx) error {
		data := map[string]any{"price": price, "recurring": recurring}
		if err := x.s.recordPurchase(product, data); err != nil {
			return err
		}
		status := "closed"
		if recurring {
			status = "open"
		}
		if err := x.s.tx.AddRecord(&Record{ContactID: x.s.c.ID, Kind: "order", Name: product, Status: status, Data: data, CreatedAt: x.s.now}); err != nil {
			return err
		}
		x.outcome, x.detail = "purchase recorded", map[string]any{"product": product}
		x.s.raise(Event{Kind: "product_purchased", Args: map[string]string{"product": product}})
		return nil
	}, nil
}

func linkCancelOpenOrders(p *Program, s *plan.CancelOpenOrders) (func(*actx) error, error) {
	return changeOrders(s.Product, "cancelled"), nil
}

func linkRechargeTransactions(p *Program, s *plan.RechargeTransactions) (func(*actx) error, error) {
	return changeOrders(s.Product, "recharged"), nil
}

// changeOrders changes the contact's open orders (of one product, or
// all).
func changeOrders(product, status string) func(*actx) error {
	return func(x *actx) error {
		orders, err := x.s.tx.Records(x.s.c.ID, "order")
		if err != nil {
			return err
		}
		n := 0
		for _, o := range orders {
			if o.Status == "open" && (product == "" || o.Name == product) {
				if status == "cancelled" {
					o.Status = status
				}
				o.Data["last_action"] = status
				if err := x.s.tx.UpdateRecord(o); err != nil {
					return err
				}
				n++
			}
		}
		x.outcome, x.detail = fmt.Sprintf("%d orders %s", n, status), map[string]any{"product": product}
		return nil
	}
}

func linkDoNotContact(p *Program, s *plan.DoNotContact) (func(*actx) error, error) {
	channel, op := s.Channel, s.Op
	return func(x *actx) error {
		var flags []string
		for _, ch := range x.s.c.DNC {
			if ch != channel {
				flags = append(flags, ch)
			}
		}
		if op != "remove" {
			flags = append(flags, channel)
		}
		x.s.c.DNC, x.s.cDirty = flags, true
		x.outcome, x.detail = "do-not-contact "+op, map[string]any{"channel": channel}
		return nil
	}, nil
}

func linkDeleteContact(p *Program, s *plan.DeleteContact) (func(*actx) error, error) {
	return func(x *actx) error {
		x.s.deleted = true
		x.outcome = "contact deleted"
		return nil
	}, nil
}

// addTag adds a tag, raising tag_added when it is new.
func (s *state) addTag(tag string) bool {
	if s.c.HasTag(tag) {
		return false
	}
	s.c.Tags, s.cDirty = append(s.c.Tags, tag), true
	s.raise(Event{Kind: "tag_added", Args: map[string]string{"tag": tag}})
	return true
}

// removeTag removes a tag, raising tag_removed when it was there.
func (s *state) removeTag(tag string) bool {
	for i, t := range s.c.Tags {
		if t == tag {
			s.c.Tags, s.cDirty = append(s.c.Tags[:i:i], s.c.Tags[i+1:]...), true
			s.raise(Event{Kind: "tag_removed", Args: map[string]string{"tag": tag}})
			return true
		}
	}
	return false
}

// setField sets a field, raising field_changed when the value changes.
// Unset, "" and an empty list are the same (nothing in the field): going
// from one to another is no change and raises nothing.
func (s *state) setField(name string, v any) bool {
	cur := s.c.Field(name)
	if reflect.DeepEqual(cur, v) || blankValue(cur) && blankValue(v) {
		return false
	}
	if list, ok := v.([]any); ok && len(list) == 0 {
		v = nil
	}
	switch name {
	case "points":
		f, _ := v.(float64)
		s.c.Points = f
	case "stage":
		s.c.Stage, _ = v.(string)
	case "owner":
		s.c.Owner, _ = v.(string)
	case "tags", "created_at":
		return false
	default:
		if s.c.Fields == nil {
			s.c.Fields = map[string]any{}
		}
		if v == nil {
			delete(s.c.Fields, name)
		} else {
			s.c.Fields[name] = v
		}
	}
	s.cDirty = true
	s.raise(Event{Kind: "field_changed", Args: map[string]string{"field": name}})
	s.rescheduleDates(name)
	return true
}

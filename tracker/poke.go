package tracker

// Poke asks a running engine to hand out due work now instead of at the
// next tick: the daemon calls it after adding a parcel (from a mail or
// the status page) so that the new parcel, due at once, is polled at
// once. It never blocks; pokes made while one is pending are merged.
func (e *Engine) Poke() { e.poke() }

package xmltree

import (
	"errors"
	"fmt"
)

// Sentinels are a codec's own error classes for the classes of [Error].
type Sentinels struct {
	// Syntax stands for ErrSyntax and for any other failure.
	Syntax error
	// Limit stands for ErrLimit.
	Limit error
	// Entities stands for ErrEntities.
	Entities error
}

// Wrap returns err, an error of [Parse], wrapped in the codec's sentinel for
// its class, keeping err as the cause: errors.Is reaches the sentinel, the
// class (ErrSyntax…) and a reader's own error. Wrap(nil) is nil.
func (s Sentinels) Wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrEntities):
		return fmt.Errorf("%w: %w", s.Entities, err)
	case errors.Is(err, ErrLimit):
		return fmt.Errorf("%w: %w", s.Limit, err)
	}
	return fmt.Errorf("%w: %w", s.Syntax, err)
}

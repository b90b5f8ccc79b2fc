-- Moving a card to 반려 or 보류 says why: the reason stays on the card and with the move.
ALTER TABLE onboarding_cards ADD COLUMN reason TEXT;
ALTER TABLE onboarding_moves ADD COLUMN reason TEXT;

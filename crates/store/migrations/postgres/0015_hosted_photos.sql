-- Photos a marketplace's image host holds for a shop (postgres). Naver takes only photo addresses its
-- host issued, so a listing's photos are uploaded first; the issued address is kept here by the
-- photo's address in Gachi (content-addressed: the same address is the same bytes) and the
-- account it was uploaded under (Naver's application id), so the next listing of the same photo
-- through the same account names the hosted copy instead of uploading it again. A shop's rows
-- for a marketplace are dropped when it saves new keys there.
CREATE TABLE hosted_photos (
    merchant_id BIGINT NOT NULL REFERENCES merchants (id),
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    source_url TEXT NOT NULL,
    hosted_url TEXT NOT NULL,
    hosted_at BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, channel, account, source_url)
);

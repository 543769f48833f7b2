"""Provider webhooks: SendGrid's signed event webhook and Mailchimp's audience webhook."""

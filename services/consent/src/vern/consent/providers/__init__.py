"""Provider sync: confirmed subscribers pushed to SendGrid or Mailchimp, and removed again."""

"""Criminal cases (刑事判决书): reading the facts of an indictment and preparing the sentence."""
